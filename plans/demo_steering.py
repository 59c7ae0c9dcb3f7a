"""Demo data of phase 4: two years of quarterly progress reports on the Lindenberg plan in
steering (some action plans at risk or delayed, some reports overdue), measurements for every
indicator, an obstacle answered by the mayor and one waiting; the closed plan's evaluation."""

import datetime
from decimal import Decimal

from django.utils import timezone

from plans.constants import ReportStatus
from plans.models import Action, ActionPlan, Goal, Indicator
from plans.services.steering import (
    escalation_answer,
    escalation_raise,
    evaluation_write,
    measurement_record,
    report_submit,
    reportable_periods,
    reporting_set,
)

TEXTS = {
    ReportStatus.NOT_STARTED: "De werkgroep bereidt de start voor; de partners zijn aangeschreven.",
    ReportStatus.ON_TRACK: "De acties lopen volgens planning; de partners leveren wat is "
    "afgesproken.",
    ReportStatus.AT_RISK: "Een partner trekt zich terug; zonder vervanging halen we het resultaat "
    "niet.",
    ReportStatus.DELAYED: "De aanbesteding liep vertraging op; de uitvoering schuift een "
    "kwartaal op.",
    ReportStatus.DONE: "Het actieplan is uitgevoerd; het verwachte resultaat is bereikt.",
}


def _story(index: int, count: int) -> list[tuple[str, int]]:
    """The status and percent of each of ``count`` reports of the ``index``-th action plan."""
    story = []
    for number in range(count):
        percent = min(100, round(100 * (number + 1) / (count + 2)))
        status = ReportStatus.NOT_STARTED if number == 0 else ReportStatus.ON_TRACK
        story.append((status, percent if number else 5))
    if index % 6 == 2:
        story[-1] = (ReportStatus.AT_RISK, story[-1][1] - 10)
    elif index % 6 == 4:
        story[-2:] = [(ReportStatus.DELAYED, story[-3][1])] * 2
    elif index % 6 == 5 and count > 2:
        story[-1] = (ReportStatus.DONE, 100)
    return story


def follow_up(
    plan, *, coordinator, mayor, reports_from: datetime.date, until: datetime.date, open_obstacle
):
    """Reports for every quarter from ``reports_from`` whose report was due by ``until``
    (except some recent ones, left overdue), measurements each half year."""
    reporting_set(plan=plan, by=coordinator, report_frequency=3, reports_from=reports_from)
    action_plans = list(
        ActionPlan.objects.filter(goal__plan=plan, archived_at__isnull=True)
        .select_related("goal__plan", "promotor__user")
        .order_by("goal__order", "order", "pk")
    )
    for index, action_plan in enumerate(action_plans):
        periods = [p for p in reversed(reportable_periods(action_plan, until)) if p.due < until]
        # Two in three action plans leave their last report overdue.
        reported = periods[:-1] if index % 3 else periods
        budget = sum((r.amount for r in action_plan.resources.filter(kind="budget")), Decimal(0))
        actions = list(Action.objects.filter(action_plan=action_plan).order_by("order", "pk"))
        author = (
            action_plan.promotor.user
            if action_plan.promotor and action_plan.promotor.user
            else coordinator
        )
        for number, (period, (status, percent)) in enumerate(
            zip(reported, _story(index, len(reported)), strict=True)
        ):
            ticked = actions[number : number + 1] if number < len(actions) else []
            report_submit(
                action_plan=action_plan,
                by=author,
                period_end=period.end,
                status=status,
                percent=max(0, percent),
                text=TEXTS[status],
                budget_spent=(budget * max(0, percent) / 100).quantize(Decimal("1")),
                actions_done=ticked,
                day=period.end + datetime.timedelta(days=7),
            )
    _measure(plan, coordinator, reports_from, until)
    goal = Goal.objects.filter(plan=plan, parent__isnull=True).order_by("order", "pk").first()
    answered = escalation_raise(
        plan=plan,
        by=coordinator,
        goal=goal,
        text="De politiezone kan de afgesproken patrouilles niet meer leveren door "
        "personeelstekort. Kan de burgemeester dit op de zonale veiligheidsraad brengen?",
    )
    escalation_answer(
        escalation=answered,
        by=mayor,
        answer="Ik breng het op de volgende zonale veiligheidsraad en houd u op de hoogte.",
    )
    if not open_obstacle:
        return
    troubled = action_plans[2] if len(action_plans) > 2 else None
    escalation_raise(
        plan=plan,
        by=coordinator,
        action_plan=troubled,
        text="De vzw die de buurtbemiddeling zou doen, trekt zich terug. We zoeken een nieuwe "
        "partner; een beslissing van het college over extra middelen is nodig.",
    )


def _measure(plan, coordinator, reports_from, until):
    indicators = Indicator.objects.filter(
        expected_result__action_plan__goal__plan=plan, archived_at__isnull=True
    ).select_related("expected_result__action_plan__goal__plan")
    days = []
    day = datetime.date(reports_from.year, 6 if reports_from.month <= 6 else 12, 30)
    while day <= min(until, timezone.localdate()):
        days.append(day)
        day = datetime.date(day.year + (day.month == 12), 6 if day.month == 12 else 12, 30)
    for number, indicator in enumerate(indicators):
        if indicator.baseline is None or indicator.target is None:
            continue
        step = (indicator.target - indicator.baseline) / (len(days) + 2)
        for count, day in enumerate(days, start=1):
            wobble = Decimal((count + number) % 3 - 1) * abs(step) / 3
            value = (
                indicator.baseline
                + step * count * (Decimal("0.6") if number % 3 == 2 else 1)
                + wobble
            )
            measurement_record(
                indicator=indicator,
                by=coordinator,
                date=day,
                value=value.quantize(Decimal("0.01")),
                source=indicator.source,
            )


def evaluate(plan, *, coordinator):
    """The evaluation of every goal of the closed plan."""
    for goal in Goal.objects.filter(plan=plan, archived_at__isnull=True).order_by("pk"):
        evaluation_write(
            goal=goal,
            by=coordinator,
            result="De doelstelling is grotendeels bereikt; de cijfers dalen sinds het tweede "
            "jaar.",
            lessons="Vroeger starten met de partners en elk kwartaal rapporteren hield het plan "
            "op koers.",
        )
