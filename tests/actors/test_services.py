"""The actors' services and selectors: validation, dated roles, deactivation, coverage, the demo."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.text import capfirst

import pytest

from actors.constants import (
    ActorCategory,
    ActorForm,
    AppointmentOption,
    OrgFunction,
    OrgLevel,
    RoleType,
)
from actors.data import ACTOR_KINDS, SUGGESTION_RULES
from actors.models import Actor, ActorKind, OrgUnit, RoleAssignment
from actors.selectors import coverage, open_suggestions, placement_checks
from actors.services import (
    actor_create,
    actor_set_active,
    actor_update,
    coordinator_appoint,
    org_unit_create,
    role_assign,
    role_end,
)
from safetynet.constants import Infrastructure
from safetynet.services import municipality_update

D = datetime.date


def kind(code):
    return ActorKind.objects.get(municipality=None, code=code)


@pytest.fixture
def police(lindenberg, coordinator):
    return actor_create(
        municipality=lindenberg,
        by=coordinator,
        form=ActorForm.ORGANISATION,
        name="Politiezone Lindenberg",
        kind=kind("local_police"),
    )


def test_the_domain_text_s_kinds_are_shipped_in_two_categories(db):
    shipped = ActorKind.objects.filter(municipality=None)
    assert shipped.count() == len(ACTOR_KINDS) == 11
    assert set(shipped.filter(category=ActorCategory.CORE).values_list("code", flat=True)) == {
        "municipal_government",
        "coordinator",
        "administrative_services",
        "judicial_authorities",
        "local_police",
        "prevention_service",
    }
    for shipped_kind in shipped:  # labels in the three languages
        assert all([shipped_kind.name_nl, shipped_kind.name_fr, shipped_kind.name_en])
        assert shipped_kind.history.filter(history_type="+").exists()


def test_every_infrastructure_of_the_profile_has_a_suggestion(db):
    covered = {infrastructure for infrastructure, *_rest in SUGGESTION_RULES}
    assert covered == set(Infrastructure.values)


def test_an_actor_is_created_with_history(police, coordinator):
    record = police.history.get()
    assert record.history_user == coordinator
    assert record.history_change_reason == "Actor added"


def test_a_kind_or_organisation_of_another_municipality_is_refused(
    lindenberg, heidebeek, coordinator, police
):
    foreign_kind = ActorKind.objects.create(
        municipality=heidebeek, code="eigen", category="core", name_nl="Eigen soort"
    )
    with pytest.raises(ValidationError) as refused:
        actor_create(
            municipality=lindenberg,
            by=coordinator,
            form=ActorForm.PERSON,
            name="X",
            kind=foreign_kind,
        )
    assert "kind" in refused.value.message_dict
    other_police = actor_create(
        municipality=heidebeek,
        by=None,
        form=ActorForm.ORGANISATION,
        name="PZ",
        kind=kind("local_police"),
    )
    with pytest.raises(ValidationError) as refused:
        actor_create(
            municipality=lindenberg,
            by=coordinator,
            form=ActorForm.PERSON,
            name="Agent",
            kind=kind("local_police"),
            organisation=other_police,
        )
    assert "organisation" in refused.value.message_dict
    assert not Actor.objects.filter(name__in=["X", "Agent"]).exists()


def test_only_a_person_belongs_to_an_organisation_or_links_a_user(lindenberg, coordinator, police):
    with pytest.raises(ValidationError):
        actor_create(
            municipality=lindenberg,
            by=coordinator,
            form=ActorForm.ORGANISATION,
            name="Wijkteam",
            kind=kind("local_police"),
            organisation=police,
        )
    with pytest.raises(ValidationError):
        actor_create(
            municipality=lindenberg,
            by=coordinator,
            form=ActorForm.ORGANISATION,
            name="Org met account",
            kind=kind("local_police"),
            user=coordinator,
        )


def test_an_unchanged_edit_writes_no_history(police, coordinator):
    actor_update(actor=police, by=coordinator, name="Politiezone Lindenberg")
    assert police.history.count() == 1
    actor_update(actor=police, by=coordinator, name="PZ Lindenberg")
    assert police.history.count() == 2


def test_deactivating_ends_the_current_roles_and_keeps_the_past(police, coordinator):
    role_assign(
        actor=police, role=RoleType.OTHER, start=D(2020, 1, 1), end=D(2021, 1, 1), by=coordinator
    )
    current = role_assign(
        actor=police, role=RoleType.WORKING_GROUP_MEMBER, start=D(2024, 1, 1), by=coordinator
    )

    actor_set_active(actor=police, active=False, by=coordinator, reason="Opgeheven")

    police.refresh_from_db()
    current.refresh_from_db()
    assert not police.active
    assert current.end is not None
    assert RoleAssignment.objects.filter(actor=police).count() == 2  # nothing deleted
    assert police.history.latest().history_change_reason == "Opgeheven"
    with pytest.raises(ValidationError):
        role_assign(actor=police, role=RoleType.OTHER, start=D(2025, 1, 1), by=coordinator)


def test_coverage_counts_active_actors_per_kind(lindenberg, police, coordinator):
    rows = {row.kind.code: row for row in coverage(lindenberg)}
    assert rows["local_police"].covered
    assert rows["local_police"].active_actors == 1
    assert not rows["street_workers"].covered
    actor_set_active(actor=police, active=False, by=coordinator)
    assert not {row.kind.code: row for row in coverage(lindenberg)}["local_police"].covered


def test_suggestions_follow_the_profile(lindenberg, coordinator):
    assert open_suggestions(lindenberg) == []
    municipality_update(
        municipality=lindenberg, by=coordinator, infrastructures=[Infrastructure.TRAIN_STATION]
    )
    (suggestion,) = open_suggestions(lindenberg)
    assert suggestion.infrastructure == Infrastructure.TRAIN_STATION
    assert suggestion.reason.endswith(".")


def test_the_demo_network(settings, db):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    lindenberg_actors = Actor.objects.filter(municipality__slug="lindenberg")
    assert lindenberg_actors.count() >= 40
    assert {
        row.kind.code for row in coverage(lindenberg_actors.first().municipality) if row.covered
    } == {code for code, *_rest in ACTOR_KINDS}
    assert RoleAssignment.objects.filter(
        actor__municipality__slug="lindenberg", end__isnull=False
    ).exists()
    units = list(OrgUnit.objects.filter(municipality__slug="lindenberg"))
    assert all(check.met for check in placement_checks(units))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        Actor.objects.filter(municipality__slug="lindenberg").count() == lindenberg_actors.count()
    )


def test_a_role_is_never_held_twice_at_once(police, coordinator):
    past = role_assign(
        actor=police, role=RoleType.OTHER, start=D(2020, 1, 1), end=D(2020, 12, 31), by=coordinator
    )
    with pytest.raises(ValidationError):  # backdating must not cut the ended role
        role_assign(
            actor=police,
            role=RoleType.OTHER,
            start=D(2020, 6, 1),
            end=D(2020, 7, 1),
            by=coordinator,
        )
    past.refresh_from_db()
    assert past.end == D(2020, 12, 31)
    current = role_assign(actor=police, role=RoleType.OTHER, start=D(2024, 1, 1), by=coordinator)
    successor = role_assign(actor=police, role=RoleType.OTHER, start=D(2025, 1, 1), by=coordinator)
    current.refresh_from_db()
    assert current.end == D(2024, 12, 31)
    with pytest.raises(ValidationError):  # ending it later would overlap its successor
        role_end(assignment=current, end=D(2025, 3, 1), by=coordinator)
    assert successor.end is None


def test_deactivating_cancels_planned_roles_and_leaves_the_organogram(
    police, coordinator, lindenberg
):
    today = timezone.localdate()
    planned = role_assign(
        actor=police, role=RoleType.PROMOTOR, start=today + D.resolution * 20, by=coordinator
    )
    unit = org_unit_create(
        municipality=lindenberg,
        by=coordinator,
        name="Politie",
        level=OrgLevel.OPERATIONAL,
        function=OrgFunction.DEPARTMENT,
        holder=police,
    )
    actor_set_active(actor=police, active=False, by=coordinator)
    assert not RoleAssignment.objects.filter(pk=planned.pk).exists()
    assert RoleAssignment.history.filter(id=planned.pk, history_type="-").get().history_user == (
        coordinator
    )
    unit.refresh_from_db()
    assert unit.holder is None


def test_the_current_coordinator_cannot_be_deactivated(lindenberg, coordinator):
    person = actor_create(
        municipality=lindenberg,
        by=coordinator,
        form=ActorForm.PERSON,
        name="Koen",
        kind=kind("coordinator"),
    )
    coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.NEW_FUNCTION,
        actor=person,
        start=D(2024, 1, 1),
        by=coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        actor_set_active(actor=person, active=False, by=coordinator)
    assert refused.value.code == "current_coordinator"
    person.refresh_from_db()
    assert person.active


def test_kinds_are_ordered_core_first(db):
    codes = list(ActorKind.objects.filter(municipality=None).values_list("category", flat=True))
    assert codes == sorted(codes, key=lambda category: category != ActorCategory.CORE)


def test_adding_an_actor_from_a_suggestion_takes_it_up(client, lindenberg, coordinator):
    municipality_update(
        municipality=lindenberg, by=coordinator, infrastructures=[Infrastructure.NIGHTLIFE]
    )
    (suggestion,) = open_suggestions(lindenberg)
    client.force_login(coordinator)
    path = f"/lindenberg/actors/new/?suggestion={suggestion.pk}"
    form = client.get(path).context["form"]
    assert form["kind"].value() == suggestion.kind_id
    assert form["name"].value() == suggestion.name

    response = client.post(
        path,
        {"form": ActorForm.ORGANISATION, "name": "Horeca Lindenberg", "kind": suggestion.kind_id},
    )

    assert response.status_code == 302
    assert Actor.objects.get(name="Horeca Lindenberg").source_suggestion == suggestion
    assert open_suggestions(lindenberg) == []


def test_readers_do_not_see_the_linked_account_in_the_history(
    client, lindenberg, coordinator, viewer, police
):
    person = actor_create(
        municipality=lindenberg,
        by=coordinator,
        form=ActorForm.PERSON,
        name="Agent Smet",
        kind=kind("local_police"),
        user=viewer,
    )
    path = f"/lindenberg/actors/{person.pk}/history/"
    client.force_login(coordinator)
    shown = {c.label for e in client.get(path).context["entries"] for c in e.changes}
    client.force_login(viewer)
    hidden = {c.label for e in client.get(path).context["entries"] for c in e.changes}
    with translation.override("nl"):  # the pages speak the users' language, Dutch
        label = capfirst(str(Actor._meta.get_field("user").verbose_name))
    assert label in shown
    assert label not in hidden
