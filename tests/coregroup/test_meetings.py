"""The kerngroep's meetings: scheduling and invitations, attendance, minutes, decisions and
their follow-up tasks; permissions per role and constant query counts.

The pages need the lines of the report registered in coregroup/urls.py and coregroup/apps.py
(CORE_GROUP and COORDINATOR read meetings, the coordinator manages them)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.constants import AttendanceStatus, SeatFunction, TaskStatus
from coregroup.models import AgendaItem, Attendance, Decision, FollowUpTask, Meeting
from coregroup.selectors import core_group_meetings, follow_up_tasks, overdue
from coregroup.services import (
    MEETING_HAS_DECISIONS,
    attendance_record,
    core_group_ensure,
    decision_record,
    meeting_delete,
    meeting_schedule,
    meeting_update_minutes,
    seat_set_holder,
    task_add,
    task_set_status,
)
from safetynet.constants import Role
from tests.factories import UserFactory

D = datetime.date


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


def person(municipality, name, email="", user=None):
    actor = actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
        email=email,
    )
    if user is not None:
        actor.user = user
        actor.save()
    return actor


def at(year, month, day, hour=19):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def holders(core_group, lindenberg, coordinator):
    """The mayor (with an account in French), the police chief (e-mail, no account) and the
    prevention officer (no e-mail address)."""
    seats = {seat.function: seat for seat in core_group.seats.all()}
    account = UserFactory(username="burgemeester", language="fr")
    mayor = person(lindenberg, "Marleen Peeters", "marleen@example.org", user=account)
    chief = person(lindenberg, "Ingrid Wouters", "ingrid@example.org")
    officer = person(lindenberg, "Luc Janssens")
    for function, actor in [
        (SeatFunction.MAYOR, mayor),
        (SeatFunction.POLICE_CHIEF, chief),
        (SeatFunction.PREVENTION_OFFICER, officer),
    ]:
        seat_set_holder(seat=seats[function], actor=actor, start=D(2024, 1, 1), by=coordinator)
    return {"mayor": mayor, "chief": chief, "officer": officer, "seats": seats}


@pytest.fixture
def meeting(core_group, holders, coordinator):
    return meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 3, 10),
        place="Gemeentehuis, zaal 2",
        agenda=["Veiligheidsbeeld", "Actieplan fietsdiefstal"],
        by=coordinator,
    )


# --- Services ----------------------------------------------------------------------------------


def test_scheduling_makes_the_agenda_and_credits_the_coordinator(meeting, coordinator):
    assert meeting.municipality == meeting.core_group.municipality
    assert list(meeting.agenda_items.values_list("order", "title")) == [
        (1, "Veiligheidsbeeld"),
        (2, "Actieplan fietsdiefstal"),
    ]
    assert meeting.history.get().history_user == coordinator
    assert meeting.history.get().history_change_reason == "Meeting scheduled"
    assert all(
        item.history.get().history_user == coordinator for item in meeting.agenda_items.all()
    )


def test_invitations_go_to_holders_with_an_address_in_their_language(
    core_group, holders, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting_schedule(
            core_group=core_group,
            starts_at=at(2025, 3, 10),
            place="Gemeentehuis",
            agenda=["Veiligheidsbeeld"],
            by=coordinator,
        )
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {"marleen@example.org", "ingrid@example.org"}  # not the officer
    assert "Veiligheidsbeeld" in by_address["ingrid@example.org"].body
    assert "Gemeentehuis" in by_address["ingrid@example.org"].body
    # The mayor's account says French; the chief has none: the municipality's first language
    # (Dutch). Django's own catalogues name the month.
    assert "mars 2025" in by_address["marleen@example.org"].body
    assert "maart 2025" in by_address["ingrid@example.org"].body


def test_no_invitation_before_the_commit(
    core_group, holders, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_schedule(
            core_group=core_group, starts_at=at(2025, 3, 10), place="", agenda=[], by=coordinator
        )
    assert len(callbacks) == 2
    assert mailoutbox == []


def test_attendance_per_seat_holder_and_represented_needs_who(
    meeting, holders, lindenberg, heidebeek, coordinator
):
    seats = holders["seats"]
    deputy = person(lindenberg, "Schepen Vos")
    rows = [
        {"seat": seats[SeatFunction.MAYOR], "actor": holders["mayor"], "status": "represented",
         "represented_by": deputy},
        {"seat": seats[SeatFunction.POLICE_CHIEF], "actor": holders["chief"],
         "status": AttendanceStatus.PRESENT, "represented_by": None},
        {"seat": seats[SeatFunction.PREVENTION_OFFICER], "actor": holders["officer"],
         "status": AttendanceStatus.EXCUSED, "represented_by": deputy},  # ignored: not represented
    ]  # fmt: skip
    attendance_record(meeting=meeting, rows=rows, by=coordinator)
    recorded = {a.actor: a for a in meeting.attendances.all()}
    assert recorded[holders["mayor"]].represented_by == deputy
    assert recorded[holders["officer"]].represented_by is None
    assert recorded[holders["chief"]].history.get().history_user == coordinator

    rows[1]["status"] = AttendanceStatus.ABSENT  # recorded again: updated, not duplicated
    attendance_record(meeting=meeting, rows=rows, by=coordinator)
    assert meeting.attendances.count() == 3
    assert meeting.attendances.get(actor=holders["chief"]).status == AttendanceStatus.ABSENT

    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meeting,
            rows=[{**rows[0], "represented_by": None}],
            by=coordinator,
        )
    with pytest.raises(ValidationError):  # a stranger from another municipality
        attendance_record(
            meeting=meeting,
            rows=[{**rows[0], "represented_by": person(heidebeek, "Hilde")}],
            by=coordinator,
        )


def test_minutes_decisions_and_tasks_are_in_history(meeting, holders, coordinator):
    meeting_update_minutes(meeting=meeting, minutes="  Verslag  ", by=coordinator)
    meeting.refresh_from_db()
    assert meeting.minutes == "Verslag"
    assert meeting.history.latest().history_user == coordinator

    item = meeting.agenda_items.get(order=2)
    decision = decision_record(
        meeting=meeting, text="Fietsdiefstal aanpakken", consensus=True, agenda_item=item,
        by=coordinator,
    )  # fmt: skip
    task = task_add(
        decision=decision,
        description="Actieplan opstellen",
        assignee=holders["chief"],
        due=D(2025, 6, 1),
        by=coordinator,
    )
    task_set_status(task=task, status=TaskStatus.IN_PROGRESS, by=coordinator)
    assert decision.history.get().history_user == coordinator
    assert [r.history_user for r in task.history.all()] == [coordinator, coordinator]
    assert task.history.latest().history_change_reason == "Follow-up task status changed"


def test_a_decision_points_only_at_its_own_meetings_agenda(
    meeting, core_group, holders, coordinator, heidebeek
):
    other = meeting_schedule(
        core_group=core_group, starts_at=at(2025, 4, 1), place="", agenda=["X"], by=coordinator
    )
    with pytest.raises(ValidationError):
        decision_record(
            meeting=meeting, text="T", consensus=False, agenda_item=other.agenda_items.get(),
            by=coordinator,
        )  # fmt: skip
    decision = decision_record(meeting=meeting, text="T", consensus=False, by=coordinator)
    with pytest.raises(ValidationError):
        task_add(
            decision=decision, description="X", assignee=person(heidebeek, "Hilde"),
            due=D(2025, 5, 1), by=coordinator,
        )  # fmt: skip


def test_a_meeting_with_decisions_cannot_be_deleted(meeting, core_group, coordinator):
    decision_record(meeting=meeting, text="Besluit", consensus=True, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        meeting_delete(meeting=meeting, by=coordinator)
    assert refused.value.messages == [gettext(MEETING_HAS_DECISIONS)]
    assert Meeting.objects.filter(pk=meeting.pk).exists()

    empty = meeting_schedule(
        core_group=core_group, starts_at=at(2025, 5, 1), place="", agenda=["A"], by=coordinator
    )
    empty_pk = empty.pk  # delete() forgets it
    meeting_delete(meeting=empty, by=coordinator)
    assert not Meeting.objects.filter(pk=empty_pk).exists()
    deleted = Meeting.history.filter(id=empty_pk, history_type="-").get()
    assert deleted.history_user == coordinator
    assert AgendaItem.history.filter(meeting_id=empty_pk, history_type="-").get().history_user == (
        coordinator
    )


def test_selectors_newest_first_and_overdue(meeting, core_group, holders, coordinator):
    later = meeting_schedule(
        core_group=core_group, starts_at=at(2025, 9, 1), place="", agenda=[], by=coordinator
    )
    assert list(core_group_meetings(core_group.municipality)) == [later, meeting]

    decision = decision_record(meeting=meeting, text="B", consensus=True, by=coordinator)
    tasks = {
        status: task_add(
            decision=decision,
            description=status,
            assignee=holders["chief"],
            due=D(2025, 1, 1),
            by=coordinator,
        )  # fmt: skip
        for status in TaskStatus.values
    }
    for status, task in tasks.items():
        task_set_status(task=task, status=status, by=coordinator)
    future = task_add(
        decision=decision, description="later", assignee=holders["chief"], due=D(2099, 1, 1),
        by=coordinator,
    )  # fmt: skip
    found = set(overdue(follow_up_tasks(core_group.municipality), D(2025, 6, 1)))
    assert found == {tasks[TaskStatus.OPEN], tasks[TaskStatus.IN_PROGRESS]}
    assert future not in found


# --- Pages -------------------------------------------------------------------------------------

ROLE_STATUS = {  # kerngroep members and the coordinator read meetings; the coordinator manages
    Role.ADMIN: (403, 403),
    Role.COORDINATOR: (200, 302),
    Role.COLLEGE: (403, 403),
    Role.COUNCIL_SECRETARY: (403, 403),
    Role.CORE_GROUP: (200, 403),
    Role.PROMOTOR: (403, 403),
    Role.VIEWER: (403, 403),
}


@pytest.mark.django_db
def test_who_may_read_and_who_may_write(client, role_users, meeting, holders):
    assert set(ROLE_STATUS) == set(Role.values)
    decision = decision_record(meeting=meeting, text="B", consensus=True, by=None)
    task = task_add(
        decision=decision, description="T", assignee=holders["chief"], due=D(2025, 1, 1), by=None
    )
    for role, (read, write) in ROLE_STATUS.items():
        client.force_login(role_users[role])
        for name, kwargs in [
            ("meeting-list", {}),
            ("meeting-tasks", {}),
            ("meeting-detail", {"pk": meeting.pk}),
        ]:
            assert client.get(url(name, **kwargs)).status_code == read, (role, name)
        writes = [
            (url("meeting-minutes", pk=meeting.pk), {"minutes": f"door {role}"}),
            (url("decision-add", pk=meeting.pk), {"text": "D", "consensus": "on"}),
            (
                url("task-add", pk=decision.pk),
                {"description": "T", "assignee": holders["chief"].pk, "due": "2025-07-01"},
            ),
            (url("task-status", pk=task.pk), {"status": TaskStatus.DONE}),
            (
                url("meeting-schedule"),
                {"starts_at": "2025-10-01T19:00", "place": "Zaal", "agenda": "A\nB"},
            ),
        ]
        for path, data in writes:
            assert client.post(path, data).status_code == write, (role, path)
    assert Meeting.objects.count() == 2  # only the coordinator's
    assert Decision.objects.count() == 2


@pytest.mark.django_db
def test_another_municipality_gets_404(client, other_coordinator, meeting, heidebeek):
    decision = decision_record(meeting=meeting, text="B", consensus=True, by=None)
    client.force_login(other_coordinator)
    for path in [url("meeting-list"), url("meeting-detail", pk=meeting.pk)]:
        assert client.get(path).status_code == 404, path
    # Lindenberg's ids under Heidebeek's address: 404 as well.
    core_group_ensure(municipality=heidebeek, by=other_coordinator)
    for path in [
        url("meeting-detail", municipality="heidebeek", pk=meeting.pk),
        url("task-add", municipality="heidebeek", pk=decision.pk),
    ]:
        assert client.get(path).status_code == 404, path
    response = client.post(url("meeting-delete", municipality="heidebeek", pk=meeting.pk))
    assert response.status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.django_db
def test_the_coordinator_schedules_records_attendance_decides_and_adds_a_task(
    client, coordinator, core_group, holders, lindenberg, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting-schedule"),
            {"starts_at": "2025-10-01T19:00", "place": "Zaal 2", "agenda": "Beeld\n\nPlan\n"},
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert [item.title for item in meeting.agenda_items.all()] == ["Beeld", "Plan"]
    assert len(mailoutbox) == 2

    seats = holders["seats"]
    deputy = person(lindenberg, "Schepen Vos")
    mayor_prefix = f"seat-{seats[SeatFunction.MAYOR].pk}"
    data = {
        f"{mayor_prefix}-status": AttendanceStatus.REPRESENTED,
        f"seat-{seats[SeatFunction.POLICE_CHIEF].pk}-status": AttendanceStatus.PRESENT,
        f"seat-{seats[SeatFunction.PREVENTION_OFFICER].pk}-status": AttendanceStatus.EXCUSED,
    }
    response = client.post(url("meeting-attendance", pk=meeting.pk), data)
    assert response.status_code == 200  # represented without who: shown again
    assert gettext("Say who represented them.") in response.content.decode()
    assert not Attendance.objects.exists()
    data[f"{mayor_prefix}-represented_by"] = deputy.pk
    assert client.post(url("meeting-attendance", pk=meeting.pk), data).status_code == 302
    assert Attendance.objects.get(actor=holders["mayor"]).represented_by == deputy

    response = client.post(
        url("decision-add", pk=meeting.pk),
        {"text": "Fietsdiefstal aanpakken", "consensus": "on",
         "agenda_item": meeting.agenda_items.get(order=2).pk},
    )  # fmt: skip
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.consensus
    response = client.post(
        url("task-add", pk=decision.pk),
        {"description": "Actieplan", "assignee": holders["chief"].pk, "due": "2020-01-01"},
    )
    assert response.status_code == 302
    task = FollowUpTask.objects.get()
    page = client.get(url("meeting-detail", pk=meeting.pk))
    assert page.context["decisions"][0].tasks.all()[0].is_overdue
    assert "Actieplan" in page.content.decode()
    overdue_page = client.get(url("meeting-tasks"), {"overdue": "on"})
    assert list(overdue_page.context["tasks"]) == [task]
    client.post(url("task-status", pk=task.pk), {"status": TaskStatus.DONE, "next": "tasks"})
    assert client.get(url("meeting-tasks"), {"overdue": "on"}).context["tasks"] == []
    # With a decision, the meeting stays.
    response = client.post(url("meeting-delete", pk=meeting.pk))
    assert response.status_code == 302
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.django_db
def test_the_meeting_page_costs_the_same_with_more_items_decisions_and_tasks(
    client, coordinator, core_group, holders
):
    def filled(count):
        meeting = meeting_schedule(
            core_group=core_group,
            starts_at=at(2025, 1, count),
            place="",
            agenda=[f"Punt {i}" for i in range(count)],
            by=coordinator,
        )
        for item in meeting.agenda_items.all():
            decision = decision_record(
                meeting=meeting, text=item.title, consensus=True, agenda_item=item, by=coordinator
            )
            task_add(
                decision=decision, description="T", assignee=holders["chief"], due=D(2024, 1, 1),
                by=coordinator,
            )  # fmt: skip
        return meeting

    few, many = filled(3), filled(12)
    assert FollowUpTask.objects.filter(decision__meeting=many).count() == 12
    client.force_login(coordinator)

    def count(meeting, name="meeting-detail"):
        kwargs = {"pk": meeting.pk} if meeting else {}
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, **kwargs)).status_code == 200
        return len(captured)

    count(few)  # warm caches (permissions, content types)
    assert count(few) == count(many)
    list_few = count(None, "meeting-list")
    tasks_few = count(None, "meeting-tasks")
    filled(20)
    assert count(None, "meeting-list") == list_few
    assert count(None, "meeting-tasks") == tasks_few


@pytest.mark.django_db
def test_the_coordinator_sees_every_form(client, coordinator, meeting, holders):
    decision = decision_record(meeting=meeting, text="B", consensus=True, by=coordinator)
    client.force_login(coordinator)
    for path in [
        url("meeting-schedule"),
        url("meeting-minutes", pk=meeting.pk),
        url("decision-add", pk=meeting.pk),
        url("task-add", pk=decision.pk),
    ]:
        assert client.get(path).status_code == 200, path
    page = client.get(url("meeting-detail", pk=meeting.pk)).content.decode()
    assert "Veiligheidsbeeld" in page
    assert len(page.split('name="seat-')) - 1 == 6  # status and represented by, per held seat
