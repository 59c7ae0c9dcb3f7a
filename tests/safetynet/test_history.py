"""Who changed what, in words: safetynet.history.history_entries."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

import pytest

from safetynet.constants import Language, Region, Role
from safetynet.history import EMPTY, history_entries, record_actor
from safetynet.models import Membership, Municipality
from safetynet.services import (
    membership_delete,
    membership_set_chair,
    municipality_create,
    municipality_update,
)
from tests.factories import FolderFactory, MembershipFactory, NoteFactory, UserFactory
from tests.testapp.models import Note


@pytest.fixture(autouse=True)
def _in_english():
    """Labels are compared in one language; tests that need another say so."""
    with translation.override("en"):
        yield


def _label(model, field: str) -> str:
    """A field's label as a reader sees it: its verbose name with a capital first letter."""
    return capfirst(str(model._meta.get_field(field).verbose_name))


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


def _entries(records, **kwargs):
    with translation.override("en"):
        return history_entries(records, **kwargs)


def _newest(queryset):
    return queryset.select_related("history_user").order_by("-history_date", "-history_id")


@pytest.fixture
def admin_person(make_member):
    return make_member(Role.ADMIN, username="an", first_name="An", last_name="Wouters")


@pytest.fixture
def eikendaal(db, admin_person):
    return municipality_create(
        by=admin_person,
        reason="Aangesloten",
        name="Eikendaal",
        slug="eikendaal",
        nis_code="98765",
        region=Region.FLANDERS,
        languages=[Language.DUTCH],
        population=25_000,
    )


# --- Created, changed, deleted -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_created_record_lists_the_fields_that_were_set(eikendaal):
    (entry,) = _entries(_newest(eikendaal.history.all()))
    changes = _changes(entry)

    assert entry.action == "+"
    assert {old for old, _new in changes.values()} == {EMPTY}
    with translation.override("en"):
        assert changes[_label(Municipality, "name")] == (EMPTY, "Eikendaal")
        assert changes[_label(Municipality, "region")] == (EMPTY, str(Region.FLANDERS.label))
        assert changes[_label(Municipality, "languages")] == (EMPTY, str(Language.DUTCH.label))
        assert changes[_label(Municipality, "nis_code")] == (EMPTY, "98765")
        # Fields left empty are not listed.
        assert _label(Municipality, "area_km2") not in changes
        assert _label(Municipality, "police_zone") not in changes
        assert _label(Municipality, "infrastructures") not in changes


@pytest.mark.django_db
def test_an_update_lists_only_what_changed_old_to_new_in_words(eikendaal, admin_person):
    municipality_update(
        municipality=eikendaal,
        by=admin_person,
        reason="Fusie",
        region=Region.WALLONIA,
        languages=[Language.FRENCH, Language.GERMAN],
        area_km2=Decimal("45.30"),
    )
    entry = _entries(_newest(eikendaal.history.all()))[0]
    assert entry.action == "~"

    with translation.override("en"):
        assert _changes(entry) == {
            _label(Municipality, "region"): (
                str(Region.FLANDERS.label),
                str(Region.WALLONIA.label),
            ),
            _label(Municipality, "languages"): (
                str(Language.DUTCH.label),
                f"{Language.FRENCH.label}, {Language.GERMAN.label}",
            ),
            _label(Municipality, "area_km2"): (EMPTY, "45.30"),
        }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "area", "crime_rate"), [("nl", "45,30", "12,75"), ("en", "45.30", "12.75")]
)
def test_numbers_are_shown_as_the_reader_writes_them(
    eikendaal, admin_person, language, area, crime_rate
):
    municipality_update(
        municipality=eikendaal,
        by=admin_person,
        area_km2=Decimal("45.3"),
        crime_rate=Decimal("12.75"),
    )
    with translation.override(language):
        entry = history_entries(_newest(eikendaal.history.all()))[0]
        changes = _changes(entry)
        assert changes[_label(Municipality, "area_km2")] == (EMPTY, area)
        assert changes[_label(Municipality, "crime_rate")] == (EMPTY, crime_rate)


@pytest.mark.django_db
def test_an_unchanged_save_lists_no_field(eikendaal, admin_person):
    # The profile service skips unchanged saves; a plain save (say, of a password, which history
    # leaves out) still leaves a record, shown with no field.
    before = eikendaal.history.count()
    municipality_update(municipality=eikendaal, by=admin_person, reason="Nagekeken")
    assert eikendaal.history.count() == before
    record_actor(eikendaal, admin_person, "Nagekeken")
    eikendaal.save()
    entry = _entries(_newest(eikendaal.history.all()))[0]
    assert entry.action == "~"
    assert entry.changes == []
    assert entry.reason == "Nagekeken"


@pytest.mark.django_db
def test_labels_follow_the_reader_s_language(eikendaal, admin_person):
    municipality_update(municipality=eikendaal, by=admin_person, region=Region.BRUSSELS)
    records = list(_newest(eikendaal.history.all()))
    for language in ("en", "fr", "nl"):
        with translation.override(language):
            (change,) = history_entries(records)[0].changes
            assert change.label == _label(Municipality, "region")
            assert change.new == str(Region.BRUSSELS.label)


@pytest.mark.django_db
def test_a_membership_shows_the_person_the_role_and_yes_or_no(lindenberg, admin_person):
    person = UserFactory(first_name="Jan", last_name="Peeters")
    membership = MembershipFactory(user=person, municipality=lindenberg, role=Role.COLLEGE)
    (entry,) = _entries(_newest(membership.history.all()))

    with translation.override("en"):
        changes = _changes(entry)
        assert changes[_label(Membership, "user")] == (EMPTY, "Jan Peeters")
        assert changes[_label(Membership, "municipality")] == (EMPTY, "Lindenberg")
        assert changes[_label(Membership, "role")] == (EMPTY, str(Role.COLLEGE.label))
        assert changes[_label(Membership, "is_chair")] == (EMPTY, gettext("no"))
        assert _label(Membership, "created_at") not in changes  # not editable: not shown


@pytest.mark.django_db
def test_a_boolean_change_reads_no_to_yes(lindenberg, admin_person):
    membership = MembershipFactory(municipality=lindenberg, role=Role.COLLEGE)
    membership_set_chair(membership=membership, is_chair=True, by=admin_person, reason="Eed")
    entry = _entries(_newest(membership.history.all()))[0]
    with translation.override("en"):
        assert _changes(entry) == {
            _label(Membership, "is_chair"): (gettext("no"), gettext("yes")),
        }
    assert entry.who == "An Wouters"
    assert entry.reason == "Eed"


@pytest.mark.django_db
def test_a_foreign_key_change_shows_the_names_of_both_objects(lindenberg, admin_person):
    note = NoteFactory(folder=FolderFactory(municipality=lindenberg, name="Drugs"), title="Plan")
    note.folder = FolderFactory(municipality=lindenberg, name="Overlast")
    record_actor(note, admin_person, "Verplaatst")
    note.save()

    entry = _entries(_newest(note.history.all()))[0]
    assert _changes(entry) == {_label(Note, "folder"): ("Drugs", "Overlast")}
    assert entry.who == "An Wouters"
    assert entry.reason == "Verplaatst"


@pytest.mark.django_db
def test_a_foreign_key_to_a_deleted_object_still_renders(lindenberg, admin_person):
    person = UserFactory(first_name="Jan", last_name="Peeters")
    membership = MembershipFactory(user=person, municipality=lindenberg, role=Role.VIEWER)
    history = Membership.history.filter(id=membership.pk)
    user_pk = person.pk
    person.delete()  # the membership goes with the account; its history stays

    entries = _entries(_newest(history))
    assert [entry.action for entry in entries] == ["-", "+"]
    user_value = _changes(entries[1])[_label(Membership, "user")][1]
    assert str(user_pk) in user_value
    assert "Peeters" not in user_value


@pytest.mark.django_db
def test_a_deletion_has_no_changes(lindenberg, admin_person, coordinator):
    membership = coordinator.memberships.get()
    membership_delete(membership=membership, by=admin_person, reason="Vertrokken")
    records = _newest(Membership.history.filter(user=coordinator))

    deleted, created = _entries(records)
    assert deleted.action == "-"
    assert deleted.changes == []
    assert deleted.who == "An Wouters"
    assert deleted.reason == "Vertrokken"
    assert created.action == "+"
    assert created.changes


@pytest.mark.django_db
def test_the_acting_user_and_the_reason_are_shown(eikendaal, admin_person):
    (entry,) = _entries(_newest(eikendaal.history.all()))
    assert entry.who == str(admin_person) == "An Wouters"
    assert entry.reason == "Aangesloten"
    with translation.override("en"):
        assert entry.action_key == "created"
        assert entry.headline == gettext("%(subject)s: created") % {"subject": entry.subject}


@pytest.mark.django_db
def test_a_change_nobody_is_credited_with_is_shown_as_the_system(lindenberg):
    municipality_update(municipality=lindenberg, by=None, police_zone="PZ Noord")
    entry = _entries(_newest(lindenberg.history.all()))[0]
    with translation.override("en"):
        assert entry.who == gettext("system")


@pytest.mark.django_db
def test_the_subject_names_each_record(lindenberg):
    first = MembershipFactory(
        user=UserFactory(first_name="Jan", last_name="Peeters"),
        municipality=lindenberg,
        role=Role.VIEWER,
    )
    second = MembershipFactory(
        user=UserFactory(first_name="Els", last_name="Maes"),
        municipality=lindenberg,
        role=Role.COORDINATOR,
    )
    records = _newest(Membership.history.filter(id__in=[first.pk, second.pk]))

    entries = _entries(
        records, subject=lambda record, display: f"{display('user')} · {display('role')}"
    )

    with translation.override("en"):
        assert [entry.subject for entry in entries] == [
            f"Els Maes · {Role.COORDINATOR.label}",
            f"Jan Peeters · {Role.VIEWER.label}",
        ]


@pytest.mark.django_db
def test_without_subject_the_model_is_named(eikendaal):
    (entry,) = _entries(_newest(eikendaal.history.all()))
    with translation.override("en"):
        assert entry.subject == capfirst(str(Municipality._meta.verbose_name))


@pytest.mark.django_db
def test_long_text_is_shortened(eikendaal, admin_person):
    # A change deep inside a long text must show: values are never cut.
    text = "x" * 2000
    municipality_update(municipality=eikendaal, by=admin_person, existing_projects=text)
    municipality_update(municipality=eikendaal, by=admin_person, existing_projects=text + "y")
    entry = _entries(_newest(eikendaal.history.all()))[0]
    old, new = _changes(entry)[_label(Municipality, "existing_projects")]
    assert (old, new) == (text, text + "y")


def test_no_records_no_entries():
    assert history_entries([]) == []


# --- Predecessors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_predecessor_is_found_outside_the_page(eikendaal, admin_person):
    municipality_update(municipality=eikendaal, by=admin_person, population=25_500)
    municipality_update(municipality=eikendaal, by=admin_person, police_zone="PZ Eikendaal")
    municipality_update(municipality=eikendaal, by=admin_person, population=26_000)
    newest_only = list(_newest(eikendaal.history.all())[:1])

    (entry,) = _entries(newest_only)

    with translation.override("en"):
        assert _changes(entry) == {_label(Municipality, "population"): ("25,500", "26,000")}


@pytest.mark.django_db
def test_the_predecessor_is_the_same_object_s(eikendaal, lindenberg, admin_person):
    municipality_update(municipality=eikendaal, by=admin_person, police_zone="PZ Oost")
    municipality_update(municipality=lindenberg, by=admin_person, police_zone="PZ West")
    municipality_update(municipality=eikendaal, by=admin_person, police_zone="PZ Midden")
    records = Municipality.history.filter(history_type="~")

    entries = _entries(_newest(records))

    assert [_changes(e)[_label(Municipality, "police_zone")] for e in entries] == [
        ("PZ Oost", "PZ Midden"),
        (EMPTY, "PZ West"),
        (EMPTY, "PZ Oost"),
    ]


@pytest.mark.django_db
def test_records_given_oldest_first_diff_the_same(eikendaal, admin_person):
    municipality_update(municipality=eikendaal, by=admin_person, population=30_000)
    newest_first = _entries(_newest(eikendaal.history.all()))
    oldest_first = _entries(
        eikendaal.history.select_related("history_user").order_by("history_date", "history_id")
    )
    assert [e.changes for e in oldest_first] == [e.changes for e in reversed(newest_first)]


# --- Cost ----------------------------------------------------------------------------------------


@pytest.fixture
def membership_records(lindenberg, admin_person):
    """62 records of 21 college memberships: each created, then the chair handed round."""
    memberships = [
        MembershipFactory(user=UserFactory(), municipality=lindenberg, role=Role.COLLEGE)
        for _ in range(21)
    ]
    for membership in memberships:
        membership_set_chair(membership=membership, is_chair=True, by=admin_person)
    records = Membership.history.filter(municipality_id=lindenberg.pk).exclude(user=admin_person)
    assert records.count() == 21 + 1 + 20 * 2
    return records


def _render(records, count) -> tuple[int, list]:
    records = list(_newest(records)[:count])
    assert len(records) == count
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        entries = history_entries(records, subject=lambda r, display: display("user"))
        rendered = [(e.who, e.subject, [(c.old, c.new) for c in e.changes]) for e in entries]
    return len(queries), rendered


@pytest.mark.django_db
def test_rendering_costs_the_same_for_five_and_sixty_records(
    membership_records, django_assert_max_num_queries
):
    few, five = _render(membership_records, 5)
    many, sixty = _render(membership_records, 60)

    assert many == few
    assert five == sixty[:5]
    assert all(changes for _who, _subject, changes in sixty)  # every record was diffed
    records = list(_newest(membership_records)[:60])
    # predecessors: 2; who acted: 1; the related users and municipalities: 1 each
    with django_assert_max_num_queries(5):
        history_entries(records)


@pytest.mark.django_db
def test_a_service_s_reason_is_shown_in_the_reader_s_language(eikendaal, admin_person):
    with translation.override("nl"):  # whoever acted worked in Dutch
        municipality_update(municipality=eikendaal, by=admin_person, police_zone="PZ Zuid")
    record = _newest(eikendaal.history.all()).first()
    assert record.history_change_reason == "Profile edited"  # stored as the source text
    for language in ("fr", "nl"):
        with translation.override(language):
            (entry,) = history_entries([record])
            assert entry.reason == gettext("Profile edited")
            assert entry.reason != "Profile edited"
