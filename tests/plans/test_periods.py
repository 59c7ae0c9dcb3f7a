"""Reporting periods (``plans.periods``): calendar boundaries for every rhythm, when a report is
due and when it is overdue, which periods an action plan owes and which of those are missing.
Pure functions: no database."""

import datetime

import pytest

from plans.constants import ReportStatus
from plans.periods import Period, missing_reports, owed_periods, period_of, periods_between

D = datetime.date
DAY = datetime.timedelta(days=1)
GRACE = 14
QUARTERS_2026 = [
    (D(2026, 1, 1), D(2026, 3, 31)),
    (D(2026, 4, 1), D(2026, 6, 30)),
    (D(2026, 7, 1), D(2026, 9, 30)),
    (D(2026, 10, 1), D(2026, 12, 31)),
]


def span(period: Period):
    return period.start, period.end


def owed(**overrides):
    """Quarterly periods owed from 1 March 2026 up to 28 November 2026, with no action plan
    dates and no reports unless ``overrides`` say otherwise."""
    arguments = {
        "reports_from": D(2026, 3, 1),
        "months": 3,
        "grace": GRACE,
        "until": D(2026, 11, 28),
        "start": None,
        "end": None,
        "reports": {},
    }
    return [span(period) for period in owed_periods(**{**arguments, **overrides})]


# --- The period holding a day ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 6, 30), D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 8, 15), D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
    ],
)
def test_quarters_end_on_31_march_30_june_30_september_and_31_december(day, start, end):
    assert span(period_of(day, 3, GRACE)) == (start, end)


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (D(2028, 2, 1), D(2028, 2, 29)),  # a leap year
        (D(2028, 2, 29), D(2028, 2, 29)),
        (D(2026, 2, 14), D(2026, 2, 28)),
        (D(2026, 4, 30), D(2026, 4, 30)),
        (D(2026, 12, 1), D(2026, 12, 31)),
    ],
)
def test_months_end_on_their_last_day(day, end):
    period = period_of(day, 1, GRACE)
    assert span(period) == (D(day.year, day.month, 1), end)


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 7, 1), D(2026, 12, 31)),
    ],
)
def test_half_years_end_on_30_june_and_31_december(day, start, end):
    assert span(period_of(day, 6, GRACE)) == (start, end)


def test_a_year_is_the_calendar_year():
    assert span(period_of(D(2027, 5, 9), 12, GRACE)) == (D(2027, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize("months", [0, 2, 4, 5, 24])
def test_an_unsupported_rhythm_is_refused(months):
    with pytest.raises(ValueError, match=str(months)):
        period_of(D(2026, 5, 1), months, GRACE)


# --- Due and overdue ---------------------------------------------------------------------------


@pytest.mark.parametrize("grace", [0, 14, 30])
def test_a_report_is_due_grace_days_after_its_period_ends(grace):
    assert period_of(D(2026, 2, 10), 3, grace).due == D(2026, 3, 31) + grace * DAY


def test_the_due_date_crosses_into_the_next_year():
    assert period_of(D(2026, 11, 5), 3, 14).due == D(2027, 1, 14)


def test_overdue_the_day_after_the_due_date_and_not_on_it():
    period = period_of(D(2026, 5, 1), 3, 14)  # the second quarter, due 14 July
    assert period.due == D(2026, 7, 14)
    assert not period.is_overdue(D(2026, 6, 30))
    assert not period.is_overdue(D(2026, 7, 13))
    assert not period.is_overdue(D(2026, 7, 14))
    assert period.is_overdue(D(2026, 7, 15))


# --- Periods between two days ------------------------------------------------------------------


def test_periods_between_two_days_cover_both_in_order():
    periods = periods_between(D(2026, 2, 10), D(2026, 11, 28), 3, GRACE)
    assert [span(p) for p in periods] == QUARTERS_2026


def test_periods_between_cross_the_year():
    periods = periods_between(D(2027, 11, 15), D(2028, 3, 1), 1, GRACE)
    assert [p.end for p in periods] == [
        D(2027, 11, 30),
        D(2027, 12, 31),
        D(2028, 1, 31),
        D(2028, 2, 29),
        D(2028, 3, 31),
    ]


def test_periods_between_one_day_is_its_own_period():
    assert [span(p) for p in periods_between(D(2026, 6, 30), D(2026, 6, 30), 6, 0)] == [
        (D(2026, 1, 1), D(2026, 6, 30))
    ]


# --- What an action plan owes ------------------------------------------------------------------


def test_owed_from_the_period_holding_the_adoption_up_to_the_one_holding_today():
    assert owed() == QUARTERS_2026


def test_a_period_ending_before_reports_from_is_not_owed_the_one_holding_it_is():
    assert owed(reports_from=D(2026, 4, 1)) == QUARTERS_2026[1:]
    assert owed(reports_from=D(2026, 3, 31)) == QUARTERS_2026  # ends on it: owed
    assert owed(reports_from=D(2026, 6, 30)) == QUARTERS_2026[1:]


def test_nothing_is_owed_before_reports_from_or_without_it():
    assert owed(reports_from=None) == []
    assert owed(until=D(2026, 2, 28)) == []


def test_owed_up_to_the_period_holding_until_and_no_further():
    assert owed(until=D(2026, 6, 30)) == QUARTERS_2026[:2]
    assert owed(until=D(2026, 7, 1)) == QUARTERS_2026[:3]


def test_the_action_plans_own_start_and_end_limit_what_it_owes():
    assert owed(start=D(2026, 7, 15)) == QUARTERS_2026[2:]
    assert owed(start=D(2026, 6, 30)) == QUARTERS_2026[1:]  # starts on the last day of Q2
    assert owed(end=D(2026, 5, 10)) == QUARTERS_2026[:2]
    assert owed(end=D(2026, 7, 1)) == QUARTERS_2026[:3]  # ends on the first day of Q3
    assert owed(start=D(2026, 4, 1), end=D(2026, 9, 30)) == QUARTERS_2026[1:3]
    assert owed(start=D(2027, 1, 1)) == []
    assert owed(end=D(2025, 12, 31)) == []


@pytest.mark.parametrize("final", [ReportStatus.DONE, ReportStatus.STOPPED])
def test_nothing_is_owed_after_a_period_reported_done_or_stopped(final):
    reports = {D(2026, 6, 30): final}
    assert owed(reports=reports) == QUARTERS_2026[:2]
    # The earliest final report counts, even with reports after it.
    reports = {D(2026, 3, 31): final, D(2026, 9, 30): ReportStatus.ON_TRACK}
    assert owed(reports=reports) == QUARTERS_2026[:1]


@pytest.mark.parametrize(
    "status",
    [ReportStatus.NOT_STARTED, ReportStatus.ON_TRACK, ReportStatus.AT_RISK, ReportStatus.DELAYED],
)
def test_an_ongoing_status_keeps_the_reports_coming(status):
    assert owed(reports={D(2026, 6, 30): status}) == QUARTERS_2026


def test_monthly_reports_from_the_adoption():
    periods = owed(months=1, reports_from=D(2028, 1, 20), until=D(2028, 3, 2))
    assert [end for _start, end in periods] == [D(2028, 1, 31), D(2028, 2, 29), D(2028, 3, 31)]


# --- Missing reports: overdue and open ---------------------------------------------------------


def test_missing_reports_split_into_overdue_and_open_at_the_due_date():
    periods = owed_periods(
        reports_from=D(2026, 3, 1),
        months=3,
        grace=GRACE,
        until=D(2026, 11, 28),
        start=None,
        end=None,
        reports={},
    )
    reports = {D(2026, 6, 30): ReportStatus.ON_TRACK}

    overdue, open_ = missing_reports(periods, reports, D(2026, 10, 14))  # Q3 due today
    assert [span(p) for p in overdue] == [QUARTERS_2026[0]]
    assert [span(p) for p in open_] == [QUARTERS_2026[2], QUARTERS_2026[3]]

    overdue, open_ = missing_reports(periods, reports, D(2026, 10, 15))  # and now overdue
    assert [span(p) for p in overdue] == [QUARTERS_2026[0], QUARTERS_2026[2]]
    assert [span(p) for p in open_] == [QUARTERS_2026[3]]


def test_nothing_missing_once_every_period_is_reported():
    periods = [period_of(D(2026, 2, 1), 3, GRACE), period_of(D(2026, 5, 1), 3, GRACE)]
    reports = {p.end: ReportStatus.ON_TRACK for p in periods}
    assert missing_reports(periods, reports, D(2027, 1, 1)) == ([], [])


def test_periods_between_is_computed_once_for_the_same_question():
    first = periods_between(D(2026, 2, 10), D(2026, 11, 28), 3, GRACE)
    again = periods_between(D(2026, 2, 10), D(2026, 11, 28), 3, GRACE)
    assert again is first
    assert isinstance(first, tuple)  # immutable: nobody can change what the next caller gets
    assert periods_between(D(2026, 2, 10), D(2026, 11, 28), 1, GRACE) != first
