"""The review's fixes: someone holding two seats attends once; the minutes refuse saving over a
newer change; the calendar feed carries one's working groups' meetings; the follow-up task list
is searchable and covers the working groups."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

import icalendar
import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create
from coregroup.constants import AttendanceStatus, SeatFunction, TaskStatus
from coregroup.models import Attendance
from coregroup.selectors import attendees
from coregroup.services import (
    calendar_feed_renew,
    core_group_ensure,
    decision_record,
    meeting_schedule,
    meeting_update_minutes,
    seat_set_holder,
    task_add,
    task_set_status,
    working_group_add_member,
    working_group_create,
    working_group_end_member,
)
from safetynet.concurrency import latest_version
from safetynet.constants import Role

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
def seats(core_group):
    return {seat.function: seat for seat in core_group.seats.all()}


# --- (a) Someone holding two seats attends once ------------------------------------------------


@pytest.fixture
def two_seats(core_group, seats, lindenberg, coordinator):
    """The mayor also holds the alderman's seat for security; the chief of police holds one."""
    mayor = person(lindenberg, "Marleen Peeters", "marleen@example.org")
    chief = person(lindenberg, "Ingrid Wouters", "ingrid@example.org")
    for function, actor in [
        (SeatFunction.MAYOR, mayor),
        (SeatFunction.ALDERMAN_SECURITY, mayor),
        (SeatFunction.POLICE_CHIEF, chief),
    ]:
        seat_set_holder(seat=seats[function], actor=actor, start=D(2024, 1, 1), by=coordinator)
    return {"mayor": mayor, "chief": chief}


def test_someone_holding_two_seats_is_expected_and_invited_once(
    core_group, seats, two_seats, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            core_group=core_group,
            starts_at=at(2025, 3, 10),
            place="Gemeentehuis",
            agenda=["Veiligheidsbeeld"],
            by=coordinator,
        )
    rows = attendees(meeting)
    assert [(row.actor, row.seat) for row in rows] == [
        (two_seats["mayor"], seats[SeatFunction.MAYOR]),  # on the first of her seats
        (two_seats["chief"], seats[SeatFunction.POLICE_CHIEF]),
    ]
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "ingrid@example.org",
        "marleen@example.org",
    ]


@pytest.mark.django_db
def test_attendance_of_someone_holding_two_seats_is_recorded_through_the_page(
    client, coordinator, core_group, seats, two_seats
):
    meeting = meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 3, 10),
        place="",
        agenda=[],
        by=coordinator,
        invite=False,
    )
    client.force_login(coordinator)
    page = client.get(url("meeting-detail", pk=meeting.pk))
    assert [form.prefix for form in page.context["attendance_forms"]] == [
        f"seat-{seats[SeatFunction.MAYOR].pk}",
        f"seat-{seats[SeatFunction.POLICE_CHIEF].pk}",
    ]
    assert f'name="seat-{seats[SeatFunction.ALDERMAN_SECURITY].pk}-' not in page.content.decode()

    response = client.post(
        url("meeting-attendance", pk=meeting.pk),
        {
            f"seat-{seats[SeatFunction.MAYOR].pk}-status": AttendanceStatus.PRESENT,
            f"seat-{seats[SeatFunction.POLICE_CHIEF].pk}-status": AttendanceStatus.EXCUSED,
        },
    )
    assert response.status_code == 302
    assert response.url == url("meeting-detail", pk=meeting.pk)
    recorded = {a.actor: (a.seat, a.status) for a in Attendance.objects.all()}
    assert recorded == {
        two_seats["mayor"]: (seats[SeatFunction.MAYOR], AttendanceStatus.PRESENT),
        two_seats["chief"]: (seats[SeatFunction.POLICE_CHIEF], AttendanceStatus.EXCUSED),
    }
    page = client.get(url("meeting-detail", pk=meeting.pk))
    assert page.status_code == 200
    statuses = [form.initial["status"] for form in page.context["attendance_forms"]]
    assert statuses == [AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED]


# --- (b) The minutes refuse saving over someone else's newer minutes ---------------------------


def _version(html: str) -> int:
    return int(re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1))


@pytest.mark.django_db
def test_stale_minutes_are_refused_and_kept_then_saved_knowing_the_other_change(
    client, coordinator, make_member, core_group
):
    els = make_member(Role.COORDINATOR, username="els", first_name="Els", last_name="Vermeulen")
    meeting = meeting_schedule(
        core_group=core_group,
        starts_at=at(2025, 3, 10),
        place="",
        agenda=[],
        by=coordinator,
        invite=False,
    )
    minutes = url("meeting-minutes", pk=meeting.pk)
    client.force_login(coordinator)
    loaded = _version(client.get(minutes).content.decode())
    assert loaded == latest_version(meeting)

    meeting_update_minutes(meeting=meeting, minutes="Het verslag volgens Els.", by=els)

    response = client.post(minutes, {"minutes": "Mijn eigen verslag.", "version": loaded})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    html = response.content.decode()
    assert "Mijn eigen verslag." in html  # what was typed stays in the form
    assert [entry.who for entry in response.context["conflict"]] == [str(els)]
    assert "Het verslag volgens Els." in html  # her change, shown to compare
    meeting.refresh_from_db()
    assert meeting.minutes == "Het verslag volgens Els."
    newer = _version(html)
    assert newer == latest_version(meeting) > loaded

    response = client.post(minutes, {"minutes": "Mijn eigen verslag.", "version": newer})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Mijn eigen verslag."
    assert meeting.history.latest().history_user == coordinator


# --- (c) The calendar feed carries one's working groups' meetings ------------------------------


@pytest.mark.django_db
def test_the_feed_has_the_kerngroep_s_meetings_and_those_of_one_s_working_groups(
    client, make_member, coordinator, core_group, lindenberg, heidebeek
):
    ingrid = make_member(Role.CORE_GROUP, username="ingrid", first_name="Ingrid")
    mine = person(lindenberg, "Ingrid Wouters", user=ingrid)
    soon = timezone.now() + datetime.timedelta(days=7)

    def group(name, promotor=None, member=False, former=False):
        working_group = working_group_create(
            municipality=lindenberg, name=name, promotor=promotor, by=coordinator
        )
        if member or former:
            membership = working_group_add_member(
                working_group=working_group, actor=mine, start=D(2024, 1, 1), by=coordinator
            )
            if former:
                working_group_end_member(membership=membership, end=D(2024, 12, 31), by=None)
        meeting_schedule(
            working_group=working_group,
            starts_at=soon,
            place="",
            agenda=[],
            by=coordinator,
            invite=False,
        )

    group("Schoolroutes", promotor=mine, member=True)  # promotor and member: once
    group("Woninginbraken", member=True)
    group("Nachtlawaai", former=True)
    group("Zwerfvuil", promotor=person(lindenberg, "Karel Maes"))
    meeting_schedule(
        core_group=core_group, starts_at=soon, place="", agenda=[], by=coordinator, invite=False
    )
    # Her account linked to an actor of Heidebeek too, whose group stays out of this feed.
    elders = working_group_create(
        municipality=heidebeek,
        name="Heidebeekse fietsroutes",
        promotor=person(heidebeek, "Ingrid Wouters", user=ingrid),
        by=None,
    )
    meeting_schedule(
        working_group=elders, starts_at=soon, place="", agenda=[], by=None, invite=False
    )

    def summaries(user):
        feed = calendar_feed_renew(user=user, by=user)
        response = client.get(url("calendar-feed", token=feed.token))
        assert response.status_code == 200
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        return sorted(str(event["summary"]) for event in events)

    assert summaries(ingrid) == sorted([core_group.name, "Schoolroutes", "Woninginbraken"])
    # The coordinator leads and is a member of none of them: the kerngroep's meetings only.
    assert summaries(coordinator) == [core_group.name]


# --- (d) The follow-up task list: searchable, the working groups' tasks included ---------------


@pytest.mark.django_db
def test_the_task_list_searches_descriptions_and_assignees_across_working_groups(
    client, coordinator, core_group, lindenberg, heidebeek
):
    ingrid = person(lindenberg, "Ingrid Wouters")
    karel = person(lindenberg, "Karel Maes")
    sofie = person(lindenberg, "Sofie Claes")
    kerngroep = decision_record(
        meeting=meeting_schedule(
            core_group=core_group,
            starts_at=at(2025, 3, 10),
            place="",
            agenda=[],
            by=coordinator,
            invite=False,
        ),
        text="Fietsdiefstal aanpakken",
        consensus=True,
        by=coordinator,
    )
    working_group = working_group_create(
        municipality=lindenberg, name="Verkeersveiligheid schoolomgeving", promotor=sofie, by=None
    )
    in_group = decision_record(
        meeting=meeting_schedule(
            working_group=working_group,
            starts_at=at(2025, 4, 7),
            place="",
            agenda=[],
            by=coordinator,
            invite=False,
        ),
        text="Schoolroutes veiliger maken",
        consensus=True,
        by=coordinator,
    )

    def add(decision, description, assignee, due):
        return task_add(
            decision=decision, description=description, assignee=assignee, due=due, by=None
        )

    add(kerngroep, "Actieplan fietsdiefstal opstellen", ingrid, D(2025, 5, 1))
    cameras = add(kerngroep, "Camerabeelden opvragen", karel, D(2025, 5, 2))
    add(in_group, "Schoolroutes in kaart brengen", sofie, D(2025, 5, 3))
    add(in_group, "Fietsenstalling aanvragen", karel, D(2025, 5, 4))
    elders = decision_record(
        meeting=meeting_schedule(
            core_group=core_group_ensure(municipality=heidebeek, by=None),
            starts_at=at(2025, 3, 10),
            place="",
            agenda=[],
            by=None,
            invite=False,
        ),
        text="Elders",
        consensus=True,
        by=None,
    )
    add(elders, "Fietspaden Heidebeek nakijken", person(heidebeek, "Karel Maes"), D(2025, 5, 1))

    client.force_login(coordinator)
    tasks = url("meeting-tasks")

    def found(**params):
        response = client.get(tasks, params)
        assert response.status_code == 200
        return [task.description for task in response.context["tasks"]]

    everything = [
        "Actieplan fietsdiefstal opstellen",
        "Camerabeelden opvragen",
        "Schoolroutes in kaart brengen",
        "Fietsenstalling aanvragen",
    ]
    assert found() == everything  # by due date; Heidebeek's stays out
    assert found(q="fiets") == [everything[0], everything[3]]  # in the description, any case
    assert found(q="claes") == ["Schoolroutes in kaart brengen"]  # the assignee's name
    assert found(q="  Karel Maes ") == ["Camerabeelden opvragen", "Fietsenstalling aanvragen"]
    assert found(q="Heidebeek") == []
    assert found(q="gemeentehuis") == []

    task_set_status(task=cameras, status=TaskStatus.DONE, by=coordinator)
    assert found(q="karel", status=TaskStatus.DONE) == ["Camerabeelden opvragen"]
    assert found(q="karel", overdue="on") == ["Fietsenstalling aanvragen"]

    html = client.get(tasks, {"q": "Schoolroutes"}).content.decode()
    assert "Verkeersveiligheid schoolomgeving" in html  # the working group is named
    assert 'value="Schoolroutes"' in html  # the search stays in its field
