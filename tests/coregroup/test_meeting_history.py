"""A meeting's history on one page: the meeting, its agenda, attendance, decisions, follow-up
tasks and documents, newest first, each entry crediting who acted; and the merged timeline of
several history tables it is built on (safetynet.history)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.constants import AttendanceStatus, DocumentKind, SeatFunction, TaskStatus
from coregroup.models import AgendaItem
from coregroup.services import (
    attendance_record,
    core_group_ensure,
    decision_record,
    document_attach,
    document_remove,
    meeting_schedule,
    meeting_update_minutes,
    seat_set_holder,
    task_add,
    task_set_status,
)
from safetynet.constants import Role
from safetynet.history import HistorySource, merged_entries, merged_timeline, validated_save
from safetynet.views import PAGE_SIZE
from tests.factories import FolderFactory
from tests.testapp.models import Note

D = datetime.date
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


def person(municipality, name):
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
    )


def at(year, month, day, hour=19):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def els(make_member):
    return make_member(Role.COORDINATOR, username="els", first_name="Els", last_name="Vermeulen")


@pytest.fixture
def bart(make_member):
    return make_member(Role.COORDINATOR, username="bart", first_name="Bart", last_name="Goossens")


@pytest.fixture
def reader(make_member):
    """A kerngroep member who reads the pages in English."""
    return make_member(Role.CORE_GROUP, username="lezer", language="en")


@pytest.fixture
def core_group(lindenberg, els):
    return core_group_ensure(municipality=lindenberg, by=els)


@pytest.fixture
def holders(core_group, lindenberg, els):
    seats = {seat.function: seat for seat in core_group.seats.all()}
    mayor = person(lindenberg, "Marleen Peeters")
    chief = person(lindenberg, "Ingrid Wouters")
    seat_set_holder(seat=seats[SeatFunction.MAYOR], actor=mayor, start=D(2024, 1, 1), by=els)
    seat_set_holder(seat=seats[SeatFunction.POLICE_CHIEF], actor=chief, start=D(2024, 1, 1), by=els)
    return {"mayor": mayor, "chief": chief, "seats": seats}


@pytest.fixture
def meeting(core_group, holders, els, bart):
    """A meeting with something of every kind, done by Els and Bart in turn."""
    meeting = meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 3, 10),
        place="Gemeentehuis, zaal 2",
        agenda=["Veiligheidsbeeld", "Actieplan fietsdiefstal"],
        by=els,
        invite=False,
    )
    seats = holders["seats"]
    attendance_record(
        meeting=meeting,
        rows=[
            {"seat": seats[SeatFunction.MAYOR], "actor": holders["mayor"],
             "status": AttendanceStatus.PRESENT},
            {"seat": seats[SeatFunction.POLICE_CHIEF], "actor": holders["chief"],
             "status": AttendanceStatus.EXCUSED},
        ],
        by=bart,
    )  # fmt: skip
    meeting_update_minutes(meeting=meeting, minutes="Het verslag van de vergadering.", by=bart)
    decision = decision_record(
        meeting=meeting,
        text="Fietsdiefstal aanpakken",
        consensus=True,
        agenda_item=meeting.agenda_items.get(order=2),
        by=els,
    )
    task = task_add(
        decision=decision,
        description="Actieplan opstellen",
        assignee=holders["chief"],
        due=D(2025, 6, 1),
        by=bart,
    )
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=els)
    document = document_attach(
        meeting=meeting,
        kind=DocumentKind.MINUTES,
        title="Ondertekend verslag",
        file=SimpleUploadedFile("verslag.pdf", PDF),
        by=els,
    )
    document_remove(document=document, by=bart)
    return meeting


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_shows_everything_about_the_meeting_newest_first(
    client, reader, meeting, core_group, els, bart
):
    other = meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 4, 7),
        place="",
        agenda=["Andere vergadering"],
        by=els,
        invite=False,
    )
    decision_record(meeting=other, text="Elders beslist", consensus=False, by=els)
    client.force_login(reader)
    response = client.get(url("meeting-history", pk=meeting.pk))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(entry.subject, entry.action, entry.who) for entry in entries] == [
        ("Document · Ondertekend verslag", "~", str(bart)),
        ("Document · Ondertekend verslag", "+", str(els)),
        ("Follow-up task · Actieplan opstellen", "~", str(els)),
        ("Follow-up task · Actieplan opstellen", "+", str(bart)),
        ("Decision · Fietsdiefstal aanpakken", "+", str(els)),
        ("Meeting", "~", str(bart)),
        ("Attendance · Ingrid Wouters", "+", str(bart)),
        ("Attendance · Marleen Peeters", "+", str(bart)),
        ("Agenda item · Actieplan fietsdiefstal", "+", str(els)),
        ("Agenda item · Veiligheidsbeeld", "+", str(els)),
        ("Meeting", "+", str(els)),
    ]
    assert [entry.when for entry in entries] == sorted(
        (entry.when for entry in entries), reverse=True
    )
    reasons = {entry.subject: entry.reason for entry in entries}
    assert reasons["Meeting"] == "Meeting scheduled"  # the oldest of the two wins in the dict
    minutes = entries[5]
    assert minutes.reason == "Minutes updated"
    assert [(c.old, c.new) for c in minutes.changes] == [("—", "Het verslag van de vergadering.")]
    # The stored file's name of ours tells a reader nothing: left out.
    document_fields = {c.label for e in entries[:2] for c in e.changes}
    assert "File" not in document_fields
    assert "Title" in document_fields

    html = response.content.decode()
    assert str(els) in html
    assert str(bart) in html
    assert "Andere vergadering" not in html  # another meeting's history stays out
    assert "Elders beslist" not in html
    assert url("meeting-detail", pk=meeting.pk) in html  # back to the meeting


@pytest.mark.django_db
def test_only_those_who_see_the_meeting_read_its_history(
    client, viewer, other_coordinator, reader, meeting, heidebeek
):
    client.force_login(reader)
    assert client.get(url("meeting-history", pk=meeting.pk)).status_code == 200
    client.force_login(viewer)  # sees the composition, not the meetings
    assert client.get(url("meeting-history", pk=meeting.pk)).status_code == 403
    client.force_login(other_coordinator)
    core_group_ensure(municipality=heidebeek, by=other_coordinator)
    assert client.get(url("meeting-history", pk=meeting.pk)).status_code == 404
    assert client.get(url("meeting-history", "heidebeek", pk=meeting.pk)).status_code == 404
    client.logout()
    assert client.get(url("meeting-history", pk=meeting.pk)).status_code == 302


def _filled(core_group, holders, by, count, day):
    """A meeting with ``count`` agenda items, each decided with a task, then one change of every
    other kind."""
    meeting = meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 1, day),
        place="",
        agenda=[f"Punt {i}" for i in range(count)],
        by=by,
        invite=False,
    )
    for item in meeting.agenda_items.all():
        decision = decision_record(
            meeting=meeting, text=f"Besluit over {item}", consensus=True, agenda_item=item, by=by
        )
        task = task_add(
            decision=decision,
            description=f"Taak bij {item}",
            assignee=holders["chief"],
            due=D(2025, 6, 1),
            by=by,
        )
        task_set_status(task=task, status=TaskStatus.DONE, by=by)
    seats = holders["seats"]
    attendance_record(
        meeting=meeting,
        rows=[{"seat": seats[SeatFunction.MAYOR], "actor": holders["mayor"],
               "status": AttendanceStatus.PRESENT}],
        by=by,
    )  # fmt: skip
    meeting_update_minutes(meeting=meeting, minutes="Verslag", by=by)
    document = document_attach(
        meeting=meeting,
        kind=DocumentKind.AGENDA,
        title="Agenda",
        file=SimpleUploadedFile("agenda.pdf", PDF),
        by=by,
    )
    document_remove(document=document, by=by)
    return meeting


@pytest.mark.django_db
def test_the_history_costs_the_same_with_2_or_20_agenda_items_and_decisions(
    client, reader, core_group, holders, els, monkeypatch
):
    few = _filled(core_group, holders, els, 2, day=1)
    many = _filled(core_group, holders, els, 20, day=2)
    client.force_login(reader)

    def count(meeting, **params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("meeting-history", pk=meeting.pk), params)
            assert response.status_code == 200
        return len(captured), response.context["entries"]

    # Paged as people see it: 25 entries a page, the meeting's scheduling last on the last one.
    records = 1 + 20 + 20 + 2 * 20 + 1 + 1 + 2  # meeting, items, decisions, tasks, attendance…
    pages = [count(many, page=number)[1] for number in range(1, 5)]
    assert [len(page) for page in pages] == [25, 25, 25, records - 75]
    assert (pages[-1][-1].subject, pages[-1][-1].action) == ("Meeting", "+")
    assert (pages[0][0].subject, pages[0][0].action) == ("Document · Agenda", "~")

    # Every model on one page, so that the two pages read the same sources: the cost is fixed
    # per model, whatever the number of records.
    monkeypatch.setattr("safetynet.views.PAGE_SIZE", 1000)
    count(few)  # caches warmed
    few_queries, few_entries = count(few)
    many_queries, many_entries = count(many)
    assert (len(few_entries), len(many_entries)) == (13, records)
    assert many_queries == few_queries


# --- The merged timeline -----------------------------------------------------------------------


@pytest.fixture
def timeline(lindenberg, els):
    """15 notes and 15 agenda items written in turn, a minute apart: note 0, item 0, note 1, …"""
    meeting = meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=els),
        starts_at=at(2025, 3, 10),
        place="",
        agenda=[],
        by=els,
        invite=False,
    )
    folder = FolderFactory(municipality=lindenberg, name="Verslagen")
    start = timezone.make_aware(datetime.datetime(2025, 1, 6, 9))
    for i in range(15):
        note = Note(folder=folder, title=f"Notitie {i:02d}")
        note._history_date = start + datetime.timedelta(minutes=2 * i)
        validated_save(note, els, "Note written")
        item = AgendaItem(meeting=meeting, order=i + 1, title=f"Punt {i:02d}")
        item._history_date = start + datetime.timedelta(minutes=2 * i + 1)
        validated_save(item, els, "Agenda item added")
    return [
        HistorySource(Note.history.filter(folder=folder), lambda r, display: display("title")),
        HistorySource(
            AgendaItem.history.filter(meeting_id=meeting.pk),
            lambda r, display: display("title"),
            hide=("description",),
        ),
    ]


def test_the_timeline_interleaves_two_models_newest_first_in_one_query(
    timeline, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = list(merged_timeline(timeline))
    assert len(rows) == 30
    assert [index for _when, _id, index in rows] == [1, 0] * 15
    whens = [when for when, _id, _index in rows]
    assert whens == sorted(whens, reverse=True)
    assert whens[0] == timezone.make_aware(datetime.datetime(2025, 1, 6, 9, 29))


def test_the_timeline_is_paged_and_each_page_becomes_entries_in_its_order(timeline, els):
    paginator = Paginator(merged_timeline(timeline), PAGE_SIZE)
    assert (paginator.count, paginator.num_pages) == (30, 2)
    first, second = paginator.page(1), paginator.page(2)
    assert (len(first.object_list), len(second.object_list)) == (PAGE_SIZE, 30 - PAGE_SIZE)

    with translation.override("en"):
        with CaptureQueriesContext(connection) as on_first:
            first_entries = merged_entries(timeline, list(first.object_list))
        with CaptureQueriesContext(connection) as on_second:
            second_entries = merged_entries(timeline, list(second.object_list))
    written = [title for i in range(15) for title in (f"Notitie {i:02d}", f"Punt {i:02d}")]
    assert [entry.subject for entry in first_entries + second_entries] == written[::-1]
    assert {entry.who for entry in first_entries + second_entries} == {str(els)}
    assert {entry.action for entry in first_entries + second_entries} == {"+"}
    assert first_entries[0].reason == "Agenda item added"
    assert first_entries[1].reason == "Note written"
    # A source's hidden fields stay out of its entries.
    item_fields = {change.label for change in first_entries[0].changes}
    assert "Title" in item_fields
    assert "Description" not in item_fields
    # A fixed number of queries per source: 25 rows cost what 5 cost.
    assert len(on_first) == len(on_second)


def test_an_empty_page_of_the_timeline_has_no_entries(timeline):
    assert merged_entries(timeline, []) == []
