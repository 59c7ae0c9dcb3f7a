"""Dated intervals: roles, the coordinator's appointment, seat holdings, working-group
memberships. Each is a row with ``start`` and an optional ``end`` (inclusive; open while empty),
never overwritten: a change ends the open interval the day before the new one starts.

The rules every such model shares live here once: which intervals overlap a period, and how the
open one is closed when a successor starts. The caller locks the parent row first (see
``safetynet.concurrency.lock_row``) so two people cannot both pass the checks."""

import datetime

from django.db.models import Q, QuerySet

ONE_DAY = datetime.timedelta(days=1)


def overlapping(intervals: QuerySet, start: datetime.date, end: datetime.date | None = None):
    """The intervals of ``intervals`` that share at least one day with ``start``–``end``
    (``end`` None: open-ended), earliest first."""
    found = intervals.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        found = found.filter(start__lte=end)
    return found.order_by("start", "pk")


def first_overlap(intervals: QuerySet, start, end=None, *, exclude=None):
    """The earliest interval overlapping ``start``–``end``, ``exclude`` (a row) left out."""
    found = overlapping(intervals, start, end)
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def open_interval(intervals: QuerySet):
    """The interval still running (no end), if any."""
    return intervals.filter(end__isnull=True).first()


def next_start(intervals: QuerySet, after: datetime.date):
    """The earliest interval starting after ``after``: an end date must stay before it."""
    return intervals.filter(start__gt=after).order_by("start", "pk").first()


def day_before(day: datetime.date) -> datetime.date:
    return day - ONE_DAY


def as_text(day: datetime.date) -> str:
    """A date as Belgian forms write it, for messages."""
    return day.strftime("%d/%m/%Y")
