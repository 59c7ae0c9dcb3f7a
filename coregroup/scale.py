"""The kerngroep's part of ``seed_scale``: its seats held (one handed over, one not present in
the municipality), six years of monthly meetings with agenda, attendance, decisions and
follow-up tasks, and a few working groups that meet too.

Seats and working groups go through the services (a handful of rows); meetings and what hangs
under them go in bulk, each row with its history record."""

import datetime

from django.utils import timezone

from actors.models import Actor

from .constants import AttendanceStatus, SeatFunction, TaskStatus
from .models import (
    AgendaItem,
    Attendance,
    Decision,
    FollowUpTask,
    Meeting,
    SeatHolding,
    WorkingGroup,
    WorkingGroupMembership,
)
from .services import (
    core_group_ensure,
    seat_set_holder,
    seat_set_not_present,
    working_group_create,
)

YEARS = 6
MEETINGS_PER_YEAR = 12
WORKING_GROUPS = {"full": 4, "small": 2}
WORKING_GROUP_MEMBERS = {"full": 12, "small": 4}
WORKING_GROUP_MEETINGS = {"full": 6, "small": 2}  # in the last year, every other month
# Seat → the actor (by external key) who holds it; the coordinator's seat was handed over.
HOLDERS = {
    SeatFunction.MAYOR: "mayor",
    SeatFunction.PROSECUTOR: "prosecutor",
    SeatFunction.POLICE_CHIEF: "police-chief",
    SeatFunction.ALDERMAN_WELFARE: "college2",
    SeatFunction.ALDERMAN_SECURITY: "college3",
    SeatFunction.ALDERMAN_PUBLIC_WORKS: "college4",
    SeatFunction.ALDERMAN_MOBILITY: "college5",
    SeatFunction.PREVENTION_OFFICER: "kerngroep1",
}
TOPICS = [
    "Cijfers lokale politie", "Stand van de actieplannen", "Woninginbraak", "Drugsoverlast",
    "Verkeersveiligheid rond scholen", "Jongerenoverlast", "Evenementen en nachtleven",
    "Voorbereiding veiligheidsplan", "Opvolging van de promotors", "Cybercriminaliteit",
]  # fmt: skip
WORKING_GROUP_NAMES = [
    "Werkgroep jeugd en overlast", "Werkgroep woninginbraak", "Werkgroep verkeer",
    "Werkgroep drugs", "Werkgroep nachtleven", "Werkgroep radicalisering",
]  # fmt: skip


def seed(run) -> None:
    municipality, by, rng = run.municipality, run.coordinator, run.rng
    actors = {
        a.external_key: a
        for a in Actor.objects.filter(municipality=municipality).exclude(external_key="")
    }
    start = run.today.replace(year=run.today.year - YEARS, month=1, day=1)
    handover = start.replace(year=start.year + YEARS // 2)
    core_group = core_group_ensure(municipality=municipality, by=by)
    for seat in core_group.seats.all():
        if seat.function == SeatFunction.COMPLAINTS_OFFICER:
            seat_set_not_present(seat=seat, not_present=True, end=start, by=by)
        elif seat.function == SeatFunction.COORDINATOR:
            seat_set_holder(seat=seat, actor=actors["former-coordinator"], start=start, by=by)
            seat_set_holder(seat=seat, actor=actors["coordinator"], start=handover, by=by)
        else:
            seat_set_holder(seat=seat, actor=actors[HOLDERS[seat.function]], start=start, by=by)
    run.rows += 1 + 10 + 10
    holdings = list(SeatHolding.objects.filter(seat__core_group=core_group))

    zone = timezone.get_current_timezone()
    first_month = run.today.year * 12 + run.today.month - YEARS * MEETINGS_PER_YEAR
    meetings = []
    for number in range(YEARS * MEETINGS_PER_YEAR):
        year, month = divmod(first_month + number, 12)
        day = datetime.date(year, month + 1, 8 + number % 7)
        meetings.append(
            Meeting(
                municipality=municipality,
                core_group=core_group,
                starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=zone),
                place="Gemeentehuis, raadzaal",
                minutes=""
                if day >= run.today
                else "De agendapunten werden besproken; de "
                "beslissingen en de opvolging staan hieronder.",
            )
        )
    groups = _working_groups(run, actors)
    for group, _members in groups:
        for number in range(WORKING_GROUP_MEETINGS[run.size]):
            day = run.today - datetime.timedelta(days=60 * (number + 1) + group.pk % 20)
            meetings.append(
                Meeting(
                    municipality=municipality,
                    working_group=group,
                    starts_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=zone),
                    place="Ontmoetingscentrum",
                    minutes="Verslag van de werkgroep.",
                )
            )
    meetings = run.bulk(Meeting, meetings)
    members_of = {group.pk: members for group, members in groups}
    items, attendance = [], []
    for meeting in meetings:
        titles = ["Goedkeuring verslag", rng.choice(TOPICS), "Varia"]
        items += [
            AgendaItem(meeting=meeting, order=order, title=title)
            for order, title in enumerate(titles, start=1)
        ]
        if meeting.starts_at.date() >= run.today:
            continue
        if meeting.core_group_id:
            day = meeting.starts_at.date()
            present = [
                (h.seat_id, h.actor)
                for h in holdings
                if h.start <= day and (h.end is None or day <= h.end)
            ]
        else:
            present = [(None, actor) for actor in members_of[meeting.working_group_id]]
        for number, (seat_id, actor) in enumerate(present):
            status = _attendance_status(meeting.pk + number)
            attendance.append(
                Attendance(
                    meeting=meeting,
                    seat_id=seat_id,
                    actor=actor,
                    status=status,
                    represented_by=actors["coordinator"]
                    if status == AttendanceStatus.REPRESENTED and actor != actors["coordinator"]
                    else None,
                )
            )
    for row in attendance:  # the coordinator is never represented by themselves
        if row.status == AttendanceStatus.REPRESENTED and row.represented_by is None:
            row.status = AttendanceStatus.PRESENT
    items = run.bulk(AgendaItem, items)
    run.bulk(Attendance, attendance)
    _decisions(run, meetings, items, actors)


def _attendance_status(number: int) -> str:
    if number % 11 == 0:
        return AttendanceStatus.EXCUSED
    if number % 17 == 0:
        return AttendanceStatus.ABSENT
    if number % 23 == 0:
        return AttendanceStatus.REPRESENTED
    return AttendanceStatus.PRESENT


def _working_groups(run, actors) -> list[tuple[WorkingGroup, list[Actor]]]:
    """A few working groups led by promotors, with members from the network."""
    candidates = list(
        Actor.objects.filter(municipality=run.municipality, active=True)
        .exclude(external_key__in=list(actors))
        .order_by("pk")[: WORKING_GROUPS[run.size] * WORKING_GROUP_MEMBERS[run.size]]
    )
    promotors = [actor for key, actor in actors.items() if key.startswith("promotor")]
    groups, memberships = [], []
    start = run.today.replace(year=run.today.year - 2, month=1, day=1)
    size = WORKING_GROUP_MEMBERS[run.size]
    for number in range(WORKING_GROUPS[run.size]):
        promotor = promotors[number % len(promotors)]
        group = working_group_create(
            municipality=run.municipality,
            name=WORKING_GROUP_NAMES[number % len(WORKING_GROUP_NAMES)],
            mandate="Werkt de acties van het veiligheidsplan uit.",
            promotor=promotor,
            by=run.coordinator,
        )
        members = [promotor, *candidates[number * size : (number + 1) * size]]
        memberships += [
            WorkingGroupMembership(working_group=group, actor=actor, start=start)
            for actor in members
        ]
        groups.append((group, members))
    run.rows += len(groups)
    run.bulk(WorkingGroupMembership, memberships)
    return groups


def _decisions(run, meetings, items, actors) -> None:
    """One or two decisions per meeting held, on its second agenda item, each with a task."""
    topic_of = {item.meeting_id: item for item in items if item.order == 2}
    assignees = [actors[key] for key in actors if key.startswith(("promotor", "kerngroep"))]
    assignees.append(actors["coordinator"])
    decisions = []
    for meeting in meetings:
        if meeting.starts_at.date() >= run.today:
            continue
        item = topic_of[meeting.pk]
        for number in range(1 + meeting.pk % 2):
            decisions.append(
                Decision(
                    meeting=meeting,
                    agenda_item=item,
                    text=f"De kerngroep besluit over “{item.title}”: de werkgroep werkt een "
                    f"voorstel uit (punt {number + 1}).",
                    consensus=meeting.pk % 5 != 0,
                )
            )
    decisions = run.bulk(Decision, decisions)
    meeting_day = {m.pk: m.starts_at.date() for m in meetings}
    tasks = []
    for number, decision in enumerate(decisions):
        due = meeting_day[decision.meeting_id] + datetime.timedelta(days=30 + number % 30)
        if due < run.today - datetime.timedelta(days=90):
            status = TaskStatus.CANCELLED if number % 13 == 0 else TaskStatus.DONE
        else:
            status = TaskStatus.IN_PROGRESS if number % 2 else TaskStatus.OPEN
        tasks.append(
            FollowUpTask(
                decision=decision,
                description="Voorstel uitwerken en terugkoppelen aan de kerngroep",
                assignee=assignees[number % len(assignees)],
                due=due,
                status=status,
            )
        )
    run.bulk(FollowUpTask, tasks)
