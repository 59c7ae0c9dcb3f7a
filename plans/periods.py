"""Reporting periods of a plan in steering, and which reports an action plan owes.

Pure functions, no database. Periods follow the calendar: with a rhythm of ``months`` (1, 3, 6
or 12) a period ends on the last day of every month whose number is a multiple of ``months``
(quarters end on 31 March, 30 June, 30 September and 31 December). A report for a period is due
``grace`` days after the period ends and overdue from the day after that."""

import calendar
import datetime
import functools
from dataclasses import dataclass

from plans.constants import FINAL_REPORT_STATUSES


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    def is_overdue(self, day: datetime.date) -> bool:
        return day > self.due


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: datetime.date, months: int, grace: int) -> Period:
    """The period that holds ``day``."""
    if months not in (1, 3, 6, 12):
        raise ValueError(f"A reporting rhythm of {months} months is not supported.")
    last_month = ((day.month - 1) // months + 1) * months
    first_month = last_month - months + 1
    end = _month_end(day.year, last_month)
    return Period(
        datetime.date(day.year, first_month, 1), end, end + datetime.timedelta(days=grace)
    )


@functools.lru_cache(maxsize=512)
def periods_between(
    first: datetime.date, last: datetime.date, months: int, grace: int
) -> tuple[Period, ...]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order.

    Kept (the periods are immutable): every action plan of a plan asks the same question — the
    monitor and the dashboard of a plan with 200 action plans asked it 200 times a request."""
    periods = []
    period = period_of(first, months, grace)
    while period.start <= last:
        periods.append(period)
        period = period_of(period.end + datetime.timedelta(days=1), months, grace)
    return tuple(periods)


def owed_periods(
    *,
    reports_from: datetime.date | None,
    months: int,
    grace: int,
    until: datetime.date,
    start: datetime.date | None,
    end: datetime.date | None,
    reports: dict[datetime.date, str],
) -> list[Period]:
    """The periods for which an action plan owes a report, up to the one holding ``until``:
    those ending on or after ``reports_from`` (the adoption), overlapping the action plan's own
    dates, and not after a period reported as done or stopped. ``reports``: period end → the
    status reported for it."""
    if reports_from is None or until < reports_from:
        return []
    finished = min(
        (period_end for period_end, status in reports.items() if status in FINAL_REPORT_STATUSES),
        default=None,
    )
    owed = []
    for period in periods_between(reports_from, until, months, grace):
        if start is not None and start > period.end:
            continue
        if end is not None and end < period.start:
            continue
        if finished is not None and period.end > finished:
            continue
        owed.append(period)
    return owed


def missing_reports(owed: list[Period], reports: dict[datetime.date, str], day: datetime.date):
    """Of the periods owed, those without a report: ``(overdue, open)`` — overdue ones are past
    their due date on ``day``, open ones are not yet."""
    missing = [period for period in owed if period.end not in reports]
    overdue = [period for period in missing if period.is_overdue(day)]
    open_ = [period for period in missing if not period.is_overdue(day)]
    return overdue, open_
