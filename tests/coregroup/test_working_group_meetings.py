"""Working groups hold meetings: scheduled from the working group's page, the lead promotor and
current members invited, attendance per member, deleted back to the working group; permissions
per role, other municipalities and constant query counts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.constants import AttendanceStatus
from coregroup.models import Attendance, Meeting
from coregroup.selectors import attendees, core_group_meetings, working_group_meetings
from coregroup.services import (
    core_group_ensure,
    decision_record,
    meeting_schedule,
    working_group_add_member,
    working_group_create,
    working_group_end_member,
    working_group_set_active,
)
from safetynet.constants import Role

D = datetime.date


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


def person(municipality, name, email=""):
    return actor_create(
        municipality=municipality,
        by=None,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
        email=email,
    )


def at(year, month, day, hour=19):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def promotor(lindenberg):
    return person(lindenberg, "Sofie Claes", "sofie.claes@example.org")


@pytest.fixture
def working_group(lindenberg, coordinator, promotor):
    return working_group_create(
        municipality=lindenberg,
        name="Verkeersveiligheid schoolomgeving",
        mandate="Een actieplan voor veilige schoolroutes.",
        promotor=promotor,
        by=coordinator,
    )


@pytest.fixture
def members(working_group, lindenberg, coordinator):
    """Karel (e-mail) and Annelies (no e-mail) are members; Pieter (e-mail) left in 2024; Joke
    (e-mail) joins only after the meeting of March 2025."""

    def join(name, email, start):
        return working_group_add_member(
            working_group=working_group,
            actor=person(lindenberg, name, email),
            start=start,
            by=coordinator,
        ).actor

    karel = join("Karel Maes", "karel.maes@example.org", D(2024, 1, 1))
    annelies = join("Annelies Wouters", "", D(2024, 1, 1))
    pieter = join("Pieter De Smet", "pieter.desmet@example.org", D(2023, 1, 1))
    working_group_end_member(
        membership=working_group.memberships.get(actor=pieter), end=D(2024, 6, 30), by=coordinator
    )
    joke = join("Joke Peeters", "joke.peeters@example.org", D(2025, 6, 1))
    return {"karel": karel, "annelies": annelies, "pieter": pieter, "joke": joke}


@pytest.fixture
def meeting(working_group, members, coordinator):
    return meeting_schedule(
        working_group=working_group,
        starts_at=at(2025, 3, 10),
        place="Stadhuis, zaal 3",
        agenda=["Schoolroutes", "Fietsstraten"],
        by=coordinator,
        invite=False,
    )


# --- Services and selectors --------------------------------------------------------------------


def test_invitations_go_to_the_promotor_and_current_members_with_an_address(
    working_group, members, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            working_group=working_group,
            starts_at=at(2025, 3, 10),
            place="Stadhuis, zaal 3",
            agenda=["Schoolroutes"],
            by=coordinator,
        )
    assert meeting.working_group == working_group
    assert meeting.core_group is None
    assert meeting.municipality == working_group.municipality
    # Not Annelies (no address), not Pieter (left before), not Joke (joins after the meeting).
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "karel.maes@example.org",
        "sofie.claes@example.org",
    ]
    for mail in mailoutbox:
        assert working_group.name in mail.subject
        assert "Schoolroutes" in mail.body
        assert "Stadhuis, zaal 3" in mail.body


def test_a_promotor_who_is_also_a_member_is_expected_and_invited_once(
    working_group, promotor, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    working_group_add_member(
        working_group=working_group, actor=promotor, start=D(2024, 1, 1), by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            working_group=working_group,
            starts_at=at(2025, 3, 10),
            place="",
            agenda=[],
            by=coordinator,
        )
    assert [row.actor for row in attendees(meeting)] == [promotor]
    assert [mail.to for mail in mailoutbox] == [["sofie.claes@example.org"]]


def test_a_closed_working_group_does_not_meet(working_group, coordinator):
    working_group_set_active(working_group=working_group, active=False, by=coordinator)
    with pytest.raises(ValidationError):
        meeting_schedule(
            working_group=working_group,
            starts_at=at(2025, 3, 10),
            place="",
            agenda=["Schoolroutes"],
            by=coordinator,
        )
    assert not Meeting.objects.exists()


def test_attendees_are_the_promotor_first_then_the_members_of_the_day(meeting, promotor, members):
    rows = attendees(meeting)
    assert [row.actor for row in rows] == [promotor, members["annelies"], members["karel"]]
    assert all(row.seat is None for row in rows)


def test_the_working_group_s_meetings_newest_first_and_not_in_the_kerngroep_s(
    meeting, working_group, lindenberg, coordinator
):
    later = meeting_schedule(
        working_group=working_group,
        starts_at=at(2025, 9, 1),
        place="",
        agenda=["A", "B", "C"],
        by=coordinator,
        invite=False,
    )
    decision_record(meeting=later, text="Zone 30 rond de school", consensus=True, by=coordinator)
    other_group = working_group_create(
        municipality=lindenberg, name="Woninginbraken", promotor=None, by=coordinator
    )
    other = meeting_schedule(
        working_group=other_group, starts_at=at(2025, 5, 1), place="", agenda=[], by=coordinator
    )
    kerngroep = meeting_schedule(
        core_group=core_group_ensure(municipality=lindenberg, by=coordinator),
        starts_at=at(2025, 4, 1),
        place="",
        agenda=[],
        by=coordinator,
        invite=False,
    )
    found = list(working_group_meetings(working_group))
    assert found == [later, meeting]
    assert [(m.agenda_count, m.decision_count) for m in found] == [(3, 1), (2, 0)]
    assert list(working_group_meetings(other_group)) == [other]
    assert list(core_group_meetings(lindenberg)) == [kerngroep]


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_schedules_from_the_working_group_s_page(
    client, coordinator, working_group, members, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    schedule = url("working-group-meeting-schedule", pk=working_group.pk)
    page = client.get(url("working-group-detail", pk=working_group.pk))
    assert page.context["may_schedule"] is True
    assert schedule in page.content.decode()
    form = client.get(schedule)
    assert form.status_code == 200
    assert working_group.name in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            schedule,
            {"starts_at": "2025-10-06T19:30", "place": "Basisschool De Linde", "agenda": "A\n\nB"},
        )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == url("meeting-detail", pk=meeting.pk)
    assert (meeting.working_group, meeting.core_group) == (working_group, None)
    assert [item.title for item in meeting.agenda_items.all()] == ["A", "B"]
    # Joke has joined (June 2025) before this October meeting; Pieter has left; Annelies has no
    # address.
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "joke.peeters@example.org",
        "karel.maes@example.org",
        "sofie.claes@example.org",
    ]

    listed = client.get(url("working-group-detail", pk=working_group.pk))
    assert list(listed.context["meetings"]) == [meeting]
    assert response.url in listed.content.decode()


@pytest.mark.django_db
def test_the_meeting_s_page_leads_back_to_its_working_group(
    client, coordinator, meeting, working_group
):
    client.force_login(coordinator)
    page = client.get(url("meeting-detail", pk=meeting.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("working-group-detail", pk=working_group.pk) in html
    assert f'href="{url("meeting-list")}"' not in html  # not the kerngroep's meetings
    for name in ["meeting-minutes", "decision-add", "document-add"]:
        assert client.get(url(name, pk=meeting.pk)).status_code == 200, name
    decision = decision_record(meeting=meeting, text="Zone 30", consensus=True, by=coordinator)
    assert client.get(url("task-add", pk=decision.pk)).status_code == 200


@pytest.mark.django_db
def test_a_closed_working_group_s_page_offers_no_scheduling(
    client, coordinator, working_group, meeting
):
    working_group_set_active(working_group=working_group, active=False, by=coordinator)
    client.force_login(coordinator)
    schedule = url("working-group-meeting-schedule", pk=working_group.pk)
    page = client.get(url("working-group-detail", pk=working_group.pk))
    assert page.context["may_schedule"] is False
    assert schedule not in page.content.decode()
    assert list(page.context["meetings"]) == [meeting]  # its past meetings stay on its page
    assert client.get(schedule).status_code == 404
    response = client.post(schedule, {"starts_at": "2025-10-06T19:30", "place": "", "agenda": ""})
    assert response.status_code == 404
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_the_attendance_form_has_one_row_per_member_promotor_first(
    client, coordinator, meeting, promotor, members
):
    client.force_login(coordinator)
    page = client.get(url("meeting-detail", pk=meeting.pk))
    forms = page.context["attendance_forms"]
    assert [form.row["actor"] for form in forms] == [
        promotor,
        members["annelies"],
        members["karel"],
    ]
    assert [form.prefix for form in forms] == [
        f"actor-{promotor.pk}",
        f"actor-{members['annelies'].pk}",
        f"actor-{members['karel'].pk}",
    ]
    html = page.content.decode()
    assert html.count('name="actor-') == 6  # status and represented by, per member
    assert 'name="seat-' not in html
    assert f'name="actor-{members["pieter"].pk}-' not in html  # left before the meeting
    assert f'name="actor-{members["joke"].pk}-' not in html  # joined after it


@pytest.mark.django_db
def test_the_coordinator_records_attendance_per_member(
    client, coordinator, meeting, promotor, members, lindenberg
):
    deputy = person(lindenberg, "Bram Goossens")
    client.force_login(coordinator)
    attendance = url("meeting-attendance", pk=meeting.pk)
    data = {
        f"actor-{promotor.pk}-status": AttendanceStatus.REPRESENTED,
        f"actor-{members['annelies'].pk}-status": AttendanceStatus.PRESENT,
        f"actor-{members['karel'].pk}-status": AttendanceStatus.EXCUSED,
    }
    data[f"actor-{promotor.pk}-represented_by"] = deputy.pk
    response = client.post(attendance, data)
    assert response.status_code == 302
    assert response.url == url("meeting-detail", pk=meeting.pk)
    recorded = {a.actor: a for a in meeting.attendances.all()}
    assert {actor: a.status for actor, a in recorded.items()} == {
        promotor: AttendanceStatus.REPRESENTED,
        members["annelies"]: AttendanceStatus.PRESENT,
        members["karel"]: AttendanceStatus.EXCUSED,
    }
    assert recorded[promotor].represented_by == deputy
    assert all(a.seat is None for a in recorded.values())
    assert recorded[members["karel"]].history.get().history_user == coordinator

    data[f"actor-{members['karel'].pk}-status"] = AttendanceStatus.PRESENT  # corrected
    assert client.post(attendance, data).status_code == 302
    assert meeting.attendances.count() == 3
    assert meeting.attendances.get(actor=members["karel"]).status == AttendanceStatus.PRESENT


@pytest.mark.django_db
def test_attendance_represented_without_who_is_shown_again_with_what_was_recorded(
    client, coordinator, meeting, promotor, members
):
    client.force_login(coordinator)
    attendance = url("meeting-attendance", pk=meeting.pk)
    karel = f"actor-{members['karel'].pk}-status"
    data = {
        f"actor-{promotor.pk}-status": AttendanceStatus.PRESENT,
        f"actor-{members['annelies'].pk}-status": AttendanceStatus.PRESENT,
        karel: AttendanceStatus.EXCUSED,
    }
    assert client.post(attendance, data).status_code == 302
    response = client.post(attendance, {**data, karel: AttendanceStatus.REPRESENTED})
    assert response.status_code == 200  # represented, but by whom?
    assert response.context["attendance_forms"][2].errors
    assert meeting.attendances.get(actor=members["karel"]).status == AttendanceStatus.EXCUSED
    page = client.get(url("meeting-detail", pk=meeting.pk))
    initial = {f.row["actor"]: f.initial["status"] for f in page.context["attendance_forms"]}
    assert initial[members["karel"]] == AttendanceStatus.EXCUSED


@pytest.mark.django_db
def test_deleting_a_working_group_meeting_returns_to_the_working_group(
    client, coordinator, meeting, working_group, promotor
):
    meeting_pk = meeting.pk
    client.force_login(coordinator)
    client.post(
        url("meeting-attendance", pk=meeting.pk),
        {f"actor-{row.actor.pk}-status": AttendanceStatus.PRESENT for row in attendees(meeting)},
    )
    assert meeting.attendances.count() == 3
    response = client.post(url("meeting-delete", pk=meeting.pk))
    assert response.status_code == 302
    assert response.url == url("working-group-detail", pk=working_group.pk)
    assert not Meeting.objects.filter(pk=meeting_pk).exists()
    assert not Attendance.objects.exists()
    assert Meeting.history.get(id=meeting_pk, history_type="-").history_user == coordinator


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_viewer_reads_the_working_group_but_not_its_meetings(
    client, viewer, meeting, working_group
):
    client.force_login(viewer)
    schedule = url("working-group-meeting-schedule", pk=working_group.pk)
    page = client.get(url("working-group-detail", pk=working_group.pk))
    assert page.status_code == 200
    assert "meetings" not in page.context
    assert schedule not in page.content.decode()
    assert url("meeting-detail", pk=meeting.pk) not in page.content.decode()
    assert client.get(schedule).status_code == 403
    assert client.post(schedule, {"starts_at": "2025-10-06T19:30"}).status_code == 403
    assert client.get(url("meeting-detail", pk=meeting.pk)).status_code == 403
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_a_kerngroep_member_sees_the_meetings_listed_and_changes_nothing(
    client, make_member, meeting, working_group, promotor
):
    client.force_login(make_member(Role.CORE_GROUP, username="kerngroeplid"))
    page = client.get(url("working-group-detail", pk=working_group.pk))
    assert list(page.context["meetings"]) == [meeting]
    assert page.context["may_schedule"] is False
    assert url("working-group-meeting-schedule", pk=working_group.pk) not in page.content.decode()
    posts = [
        (
            url("working-group-meeting-schedule", pk=working_group.pk),
            {"starts_at": "2025-10-06T19:30", "place": "", "agenda": "X"},
        ),
        (
            url("meeting-attendance", pk=meeting.pk),
            {f"actor-{promotor.pk}-status": AttendanceStatus.PRESENT},
        ),
        (url("meeting-minutes", pk=meeting.pk), {"minutes": "Door een lid"}),
        (url("decision-add", pk=meeting.pk), {"text": "Besluit", "consensus": "on"}),
        (url("meeting-delete", pk=meeting.pk), {}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 403, path
    meeting.refresh_from_db()
    assert Meeting.objects.count() == 1
    assert meeting.minutes == ""
    assert not meeting.attendances.exists()
    assert not meeting.decisions.exists()


@pytest.mark.django_db
def test_a_kerngroep_member_reads_a_working_group_s_meeting(
    client, make_member, meeting, working_group
):
    client.force_login(make_member(Role.CORE_GROUP, username="kerngroeplid"))
    detail = client.get(url("meeting-detail", pk=meeting.pk))
    assert detail.status_code == 200
    assert detail.context["attendance_forms"] is None
    assert "Schoolroutes" in detail.content.decode()
    assert url("meeting-attendance", pk=meeting.pk) not in detail.content.decode()


@pytest.mark.django_db
def test_another_municipality_gets_404_everywhere(
    client, other_coordinator, meeting, working_group, promotor, heidebeek
):
    client.force_login(other_coordinator)
    core_group_ensure(municipality=heidebeek, by=other_coordinator)
    for municipality in ["lindenberg", "heidebeek"]:  # Lindenberg's ids under Heidebeek too
        schedule = url("working-group-meeting-schedule", municipality, pk=working_group.pk)
        for path in [
            schedule,
            url("working-group-detail", municipality, pk=working_group.pk),
            url("meeting-detail", municipality, pk=meeting.pk),
            url("meeting-minutes", municipality, pk=meeting.pk),
            url("meeting-history", municipality, pk=meeting.pk),
        ]:
            assert client.get(path).status_code == 404, path
        posts = [
            (schedule, {"starts_at": "2025-10-06T19:30", "place": "", "agenda": "Overname"}),
            (
                url("meeting-attendance", municipality, pk=meeting.pk),
                {f"actor-{promotor.pk}-status": AttendanceStatus.ABSENT},
            ),
            (url("meeting-minutes", municipality, pk=meeting.pk), {"minutes": "Overgenomen"}),
            (url("meeting-delete", municipality, pk=meeting.pk), {}),
        ]
        for path, data in posts:
            assert client.post(path, data).status_code == 404, path
    meeting.refresh_from_db()
    assert Meeting.objects.count() == 1
    assert meeting.minutes == ""
    assert not meeting.attendances.exists()


# --- Query counts ------------------------------------------------------------------------------


def _count(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _add_members(working_group, municipality, number, start=0):
    for i in range(start, start + number):
        working_group_add_member(
            working_group=working_group,
            actor=person(municipality, f"Lid {i:02d}", f"lid{i:02d}@example.org"),
            start=D(2024, 1, 1),
            by=None,
        )


def _add_meetings(working_group, number, start=0):
    for i in range(start, start + number):
        meeting = meeting_schedule(
            working_group=working_group,
            starts_at=at(2025, 1, 1) + datetime.timedelta(days=i),
            place=f"Zaal {i}",
            agenda=[f"Punt {i}"],
            by=None,
            invite=False,
        )
        decision_record(meeting=meeting, text=f"Besluit {i}", consensus=True, by=None)


@pytest.mark.django_db
def test_the_working_group_s_page_costs_the_same_with_3_or_30_members_and_meetings(
    client, coordinator, working_group, lindenberg
):
    _add_members(working_group, lindenberg, 3)
    _add_meetings(working_group, 3)
    detail = url("working-group-detail", pk=working_group.pk)
    client.force_login(coordinator)
    client.get(detail)  # session and caches warmed
    few = _count(client, detail)
    _add_members(working_group, lindenberg, 27, start=3)
    _add_meetings(working_group, 27, start=3)
    assert working_group.meetings.count() == 30
    page = client.get(detail)
    assert len(page.context["current"]) == 30
    assert len(page.context["meetings"]) == 25  # a page of them
    assert _count(client, detail) == few


@pytest.mark.django_db
def test_the_meeting_s_page_costs_the_same_with_3_or_30_members(
    client, coordinator, working_group, lindenberg
):
    _add_members(working_group, lindenberg, 3)
    _add_meetings(working_group, 1)
    meeting_page = url("meeting-detail", pk=Meeting.objects.get().pk)
    client.force_login(coordinator)
    client.get(meeting_page)  # session and caches warmed
    few = _count(client, meeting_page)
    assert len(client.get(meeting_page).context["attendance_forms"]) == 4  # promotor + 3
    _add_members(working_group, lindenberg, 27, start=3)
    assert len(client.get(meeting_page).context["attendance_forms"]) == 31
    assert _count(client, meeting_page) == few
