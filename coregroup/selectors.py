"""Reads of the kerngroep: its composition, meetings and follow-up tasks, each in a fixed number
of queries whatever the number of seats, meetings or tasks."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .constants import SeatState, TaskStatus
from .models import (
    Attendance,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingDocument,
    Seat,
    SeatHolding,
    WorkingGroup,
)

CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


@dataclass
class SeatRow:
    seat: Seat
    holding: SeatHolding | None

    @property
    def state(self) -> str:
        if self.holding is not None:
            return SeatState.HELD
        return SeatState.NOT_PRESENT if self.seat.not_present else SeatState.VACANT

    @property
    def holder_inactive(self) -> bool:
        return self.holding is not None and not self.holding.actor.active


@dataclass
class Composition:
    rows: list[SeatRow] = field(default_factory=list)

    @property
    def vacant(self) -> list[SeatRow]:
        return [row for row in self.rows if row.state == SeatState.VACANT]

    @property
    def inactive_holders(self) -> list[SeatRow]:
        return [row for row in self.rows if row.holder_inactive]

    @property
    def complete(self) -> bool:
        return not self.vacant and not self.inactive_holders


def composition(core_group, day: datetime.date | None = None) -> Composition:
    """Each seat with its holder on ``day`` (today)."""
    day = day or timezone.localdate()
    held = SeatHolding.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day), start__lte=day
    ).select_related("actor__kind")
    seats = core_group.seats.prefetch_related(
        Prefetch("holdings", queryset=held, to_attr="held_on_day")
    )
    return Composition([SeatRow(seat, next(iter(seat.held_on_day), None)) for seat in seats])


def _listed(meetings):
    """Meetings as their lists show them: newest first, with their numbers of agenda items and
    decisions counted in the same query."""
    return meetings.annotate(
        agenda_count=Count("agenda_items", distinct=True),
        decision_count=Count("decisions", distinct=True),
    ).order_by("-starts_at", "-pk")


def core_group_meetings(municipality):
    """The kerngroep's meetings, newest first, with their numbers of items and decisions."""
    return _listed(Meeting.objects.filter(municipality=municipality, core_group__isnull=False))


def overdue(tasks, day: datetime.date | None = None):
    """Tasks past their due date that are neither done nor cancelled."""
    day = day or timezone.localdate()
    return tasks.filter(due__lt=day).exclude(status__in=CLOSED_STATUSES)


def follow_up_tasks(municipality):
    """The follow-up tasks of the decisions of the kerngroep and of the working groups."""
    return FollowUpTask.objects.filter(decision__meeting__municipality=municipality).select_related(
        "assignee", "decision__meeting__core_group", "decision__meeting__working_group"
    )


def mark_overdue(tasks, day: datetime.date | None = None):
    """Set ``task.is_overdue`` on tasks already fetched (no query)."""
    day = day or timezone.localdate()
    for task in tasks:
        task.is_overdue = task.due < day and task.status not in CLOSED_STATUSES
    return tasks


def meeting_for_page(queryset):
    """A meeting with everything its page shows, in a fixed number of queries."""
    tasks = FollowUpTask.objects.select_related("assignee").order_by("due", "pk")
    decisions = Decision.objects.select_related("agenda_item").prefetch_related(
        Prefetch("tasks", queryset=tasks)
    )
    attendances = Attendance.objects.select_related("actor", "represented_by")
    documents = MeetingDocument.objects.filter(removed_at__isnull=True)
    return queryset.select_related("core_group", "working_group__promotor").prefetch_related(
        "agenda_items",
        Prefetch("documents", queryset=documents),
        Prefetch("decisions", queryset=decisions),
        Prefetch("attendances", queryset=attendances),
    )


def working_group_meetings(working_group):
    """A working group's meetings, newest first, with their numbers of items and decisions."""
    return _listed(Meeting.objects.filter(working_group=working_group))


@dataclass
class AttendeeRow:
    """Someone expected at a meeting: a seat holder of the kerngroep (``seat`` set) or a member
    of the working group (``seat`` None)."""

    actor: object
    seat: Seat | None = None

    @property
    def label(self) -> str:
        return str(self.seat) if self.seat is not None else ""


def attendees(meeting) -> list[AttendeeRow]:
    """Who was expected on the meeting's day: the kerngroep's seat holders, or the working
    group's lead promotor and members. The kerngroep's in one query, a working group's in two,
    whatever the number of seats or members."""
    day = timezone.localdate(meeting.starts_at)
    if meeting.core_group_id:
        # The seats' holdings on the day with their seats, in one query: in the seats' order,
        # each seat's holding as composition() picks it (the latest start first).
        held = (
            SeatHolding.objects.filter(
                Q(end__isnull=True) | Q(end__gte=day),
                seat__core_group_id=meeting.core_group_id,
                start__lte=day,
            )
            .select_related("seat", "actor__kind")
            .order_by("seat__order", "seat__pk", "-start")
        )
        rows, seen, seats = [], set(), set()
        for holding in held:
            if holding.seat_id in seats:
                continue
            seats.add(holding.seat_id)
            # Someone holding two seats attends once, on the first of them.
            if holding.actor_id not in seen:
                seen.add(holding.actor_id)
                rows.append(AttendeeRow(holding.actor, holding.seat))
        return rows
    group = meeting.working_group
    members = (
        group.memberships.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)
        .select_related("actor")
        .order_by("actor__name")
    )
    rows, seen = [], set()
    if group.promotor_id:
        rows.append(AttendeeRow(group.promotor))
        seen.add(group.promotor_id)
    for membership in members:
        if membership.actor_id not in seen:
            seen.add(membership.actor_id)
            rows.append(AttendeeRow(membership.actor))
    return rows


def meetings_of_person(user, municipality):
    """The meetings someone goes to: the kerngroep's, and those of the working groups whose
    lead promotor or current member is their actor."""
    mine = Q(promotor__user=user) | Q(memberships__actor__user=user, memberships__end__isnull=True)
    return Meeting.objects.filter(
        Q(core_group__isnull=False) | Q(working_group__in=WorkingGroup.objects.filter(mine)),
        municipality=municipality,
    )
