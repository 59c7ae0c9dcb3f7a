"""The local integral security monitor (phase 4): how the plan in steering is doing, read in a
fixed number of queries whatever the number of goals, action plans, reports and measurements.

Everything is computed "as of" one day: today while the plan is steered, the day it was closed
once it is (a closed plan keeps its monitor as it was)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.constants import (
    TROUBLE_REPORT_STATUSES,
    Availability,
    PlanState,
    ReportStatus,
    ResourceKind,
)
from plans.content import changes, content_queryset, snapshot, stored
from plans.models import (
    ActionPlan,
    Escalation,
    Goal,
    Indicator,
    Measurement,
    Plan,
    PlanTransition,
    ProgressReport,
    Resource,
)
from plans.periods import Period, missing_reports, owed_periods
from plans.progress import IndicatorProgress, indicator_progress
from plans.versions import TIMEOUT, content_version

NO_REPORT = "none"  # the status of an action plan without any report yet
MONITORED_STATES = (PlanState.STEERING, PlanState.CLOSED)


def status_choices() -> list[tuple[str, str]]:
    return [*ReportStatus.choices, (NO_REPORT, _("No report yet"))]


@dataclass
class Filters:
    goal: int | None = None
    promotor: int | None = None
    working_group: int | None = None
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.goal or self.promotor or self.working_group or self.status)


@dataclass
class ActionPlanRow:
    action_plan: ActionPlan
    status: str = NO_REPORT
    percent: int | None = None
    spent: Decimal = Decimal(0)
    required: Decimal = Decimal(0)
    available: Decimal = Decimal(0)
    last_period: datetime.date | None = None
    report_count: int = 0
    overdue: list[Period] = field(default_factory=list)
    open: list[Period] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return dict(status_choices())[self.status]

    @property
    def next_due(self) -> Period | None:
        return self.open[0] if self.open else None

    @property
    def in_trouble(self) -> bool:
        return self.status in TROUBLE_REPORT_STATUSES


class BudgetTotals:
    """Budget required, available and spent, summed over ``self.rows`` (action plan rows)."""

    rows: list

    @property
    def required(self) -> Decimal:
        return sum((row.required for row in self.rows), Decimal(0))

    @property
    def available(self) -> Decimal:
        return sum((row.available for row in self.rows), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((row.spent for row in self.rows), Decimal(0))


@dataclass
class GoalRow(BudgetTotals):
    goal: Goal
    rows: list[ActionPlanRow] = field(default_factory=list)  # its own and its children's
    children: list["GoalRow"] = field(default_factory=list)

    @property
    def progress(self) -> float | None:
        """The mean percent complete of its action plans (an action plan without a report
        counts as 0), as a fraction; None when none of them reported yet."""
        if not any(row.percent is not None for row in self.rows):
            return None
        return sum(row.percent or 0 for row in self.rows) / (100 * len(self.rows))


@dataclass
class IndicatorRow:
    indicator: Indicator
    action_plan: ActionPlan
    measurements: list = field(default_factory=list)  # (date, value), oldest first
    progress: IndicatorProgress | None = None

    @property
    def latest(self):
        return self.measurements[-1] if self.measurements else None


@dataclass
class Monitor(BudgetTotals):
    plan: Plan
    day: datetime.date
    closed_on: datetime.date | None
    filters: Filters
    rows: list[ActionPlanRow]
    goals: list[GoalRow]  # strategic goals, each with its operational goals as children
    indicators: list[IndicatorRow]
    escalations: list[Escalation]
    changes: list[dict]
    window: tuple[datetime.date, datetime.date]
    # What the filters offer: every goal, promotor and working group of the plan.
    all_goals: list[Goal] = field(default_factory=list)
    promotors: list = field(default_factory=list)
    working_groups: list = field(default_factory=list)

    @property
    def flat_goals(self) -> list[GoalRow]:
        return [g for strategic in self.goals for g in (strategic, *strategic.children)]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        counts = defaultdict(int)
        for row in self.rows:
            counts[row.status] += 1
        return [(value, label, counts[value]) for value, label in status_choices()]

    @property
    def overdue(self) -> list[tuple[ActionPlanRow, Period]]:
        pairs = [(row, period) for row in self.rows for period in row.overdue]
        return sorted(pairs, key=lambda pair: (pair[1].due, pair[0].action_plan.pk))

    @property
    def in_trouble(self) -> list[ActionPlanRow]:
        return [row for row in self.rows if row.in_trouble]

    @property
    def open_escalations(self) -> list[Escalation]:
        return [e for e in self.escalations if e.is_open]


def plan_window(plan: Plan) -> tuple[datetime.date, datetime.date]:
    """The plan's period, from the first day of its first year to the last of its last."""
    return datetime.date(plan.period_start, 1, 1), datetime.date(plan.period_end, 12, 31)


def monitored_plans(municipality):
    """The plans a monitor exists for: in steering first, then closed, latest first."""
    return Plan.objects.filter(municipality=municipality, state__in=MONITORED_STATES).order_by(
        "-state", "-period_start", "-pk"
    )  # "steering" sorts after "closed": descending puts it first


def closed_on(plan: Plan) -> datetime.date | None:
    if plan.state != PlanState.CLOSED:
        return None
    at = (
        PlanTransition.objects.filter(plan=plan, target=PlanState.CLOSED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at else None


def _report_data(plan_ids):
    """Per action plan: {period end: status} and its latest report's figures. One query."""
    periods: dict[int, dict] = defaultdict(dict)
    latest: dict[int, tuple] = {}
    rows = ProgressReport.objects.filter(action_plan__goal__plan__in=plan_ids).values_list(
        "action_plan_id", "period_end", "status", "percent", "budget_spent"
    )
    for action_plan_id, period_end, status, percent, spent in rows:
        periods[action_plan_id][period_end] = status
        current = latest.get(action_plan_id)
        if current is None or period_end > current[0]:
            latest[action_plan_id] = (period_end, status, percent, spent)
    return periods, latest


def _budgets(plan_ids) -> dict[tuple[int, str], Decimal]:
    """Budget resources per action plan and availability. One query."""
    rows = (
        Resource.objects.filter(
            action_plan__goal__plan__in=plan_ids,
            archived_at__isnull=True,
            kind=ResourceKind.BUDGET,
        )
        .values("action_plan_id", "availability")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(r["action_plan_id"], r["availability"]): r["total"] for r in rows}


def action_plan_rows(
    plan: Plan, day: datetime.date, grace: int, action_plans=None
) -> list[ActionPlanRow]:
    """Every current action plan of the plan with its reported status, budget and the reports
    it owes on ``day``. Three queries; two with ``action_plans`` already loaded (the current
    ones of current goals, in the goals' order, with their goal, promotor and working group)."""
    return rows_per_plan([plan], day, grace, action_plans)[plan.pk]


def rows_per_plan(
    plans, day: datetime.date, grace: int, action_plans=None
) -> dict[int, list[ActionPlanRow]]:
    """:func:`action_plan_rows` of several plans at once (the dashboard's): three queries
    whatever their number."""
    by_pk = {plan.pk: plan for plan in plans}
    found: dict[int, list[ActionPlanRow]] = {pk: [] for pk in by_pk}
    if not by_pk:
        return found
    if action_plans is None:
        action_plans = (
            ActionPlan.objects.filter(
                goal__plan__in=by_pk, archived_at__isnull=True, goal__archived_at__isnull=True
            )
            .select_related("goal", "promotor", "working_group")
            .order_by("goal__order", "goal__pk", "order", "pk")
        )
    periods, latest = _report_data(list(by_pk))
    budgets = _budgets(list(by_pk))
    for action_plan in action_plans:
        plan = by_pk[action_plan.goal.plan_id]
        reports = periods.get(action_plan.pk, {})
        row = ActionPlanRow(
            action_plan,
            required=budgets.get((action_plan.pk, Availability.REQUIRED), Decimal(0)),
            available=budgets.get((action_plan.pk, Availability.AVAILABLE), Decimal(0)),
            report_count=len(reports),
        )
        if action_plan.pk in latest:
            row.last_period, row.status, row.percent, row.spent = latest[action_plan.pk]
        owed = owed_periods(
            reports_from=plan.reports_from,
            months=plan.report_frequency,
            grace=grace,
            until=day,
            start=action_plan.start,
            end=action_plan.end,
            reports=reports,
        )
        row.overdue, row.open = missing_reports(owed, reports, day)
        found[plan.pk].append(row)
    return found


def _matches(row: ActionPlanRow, filters: Filters, goal_ids: set[int] | None) -> bool:
    action_plan = row.action_plan
    if goal_ids is not None and action_plan.goal_id not in goal_ids:
        return False
    if filters.promotor and action_plan.promotor_id != filters.promotor:
        return False
    if filters.working_group and action_plan.working_group_id != filters.working_group:
        return False
    return not filters.status or row.status == filters.status


def _goal_tree(goals: list[Goal], rows: list[ActionPlanRow], filters: Filters) -> list[GoalRow]:
    by_goal = defaultdict(list)
    for row in rows:
        by_goal[row.action_plan.goal_id].append(row)
    tree = []
    children = defaultdict(list)
    for goal in goals:
        if goal.parent_id is not None:
            children[goal.parent_id].append(goal)
    for goal in goals:
        if goal.parent_id is not None:
            continue
        strategic = GoalRow(goal, list(by_goal[goal.pk]))
        for child in children[goal.pk]:
            child_row = GoalRow(child, list(by_goal[child.pk]))
            strategic.children.append(child_row)
            strategic.rows += child_row.rows
        tree.append(strategic)
    if filters.active:
        for strategic in tree:
            strategic.children = [c for c in strategic.children if c.rows]
        tree = [g for g in tree if g.rows]
    return tree


def indicator_rows(plan: Plan, rows: list[ActionPlanRow], content=None) -> list[IndicatorRow]:
    """The indicators of the listed action plans with their measurements. Two queries; one
    with the plan's ``content`` already loaded (:func:`plans.content.content_queryset`)."""
    by_action_plan = {row.action_plan.pk: row.action_plan for row in rows}
    if content is None:
        indicators = (
            Indicator.objects.filter(
                expected_result__action_plan__goal__plan=plan,
                archived_at__isnull=True,
                expected_result__archived_at__isnull=True,
            )
            .select_related("expected_result")
            .order_by("expected_result__action_plan_id", "expected_result__order", "order", "pk")
        )
    else:
        indicators = sorted(
            (
                indicator
                for goal in content
                for action_plan in goal.current_action_plans
                for result in action_plan.current_results
                for indicator in result.current_indicators
            ),
            key=lambda i: (
                i.expected_result.action_plan_id,
                i.expected_result.order,
                i.order,
                i.pk,
            ),
        )
    result = {
        indicator.pk: IndicatorRow(
            indicator, by_action_plan[indicator.expected_result.action_plan_id]
        )
        for indicator in indicators
        if indicator.expected_result.action_plan_id in by_action_plan
    }
    measurements = Measurement.objects.filter(
        indicator__expected_result__action_plan__goal__plan=plan
    ).values_list("indicator_id", "date", "value")
    for indicator_id, date, value in measurements.order_by("date", "pk"):
        if indicator_id in result:
            result[indicator_id].measurements.append((date, value))
    for row in result.values():
        latest = row.latest[1] if row.latest else None
        row.progress = indicator_progress(row.indicator.baseline, row.indicator.target, latest)
    return list(result.values())


def build(
    plan: Plan, *, grace: int, filters: Filters | None = None, day=None, with_changes=True
) -> Monitor:
    """The monitor of ``plan``, whatever its size: goals, action plans, reports, budgets,
    indicators, measurements, obstacles and the closing day, a query each; with the changes
    since adoption, the content's version, and when they are not cached yet the adopted round
    and the content (eight queries), whose goals, action plans and indicators then stand in for
    their own queries."""
    filters = filters or Filters()
    closed = closed_on(plan)
    day = closed or day or timezone.localdate()
    # The changes since adoption, kept per adopted round and content version; computed (the
    # adopted round's snapshot and the content as it is now, eight queries, whose goals, action
    # plans and indicators then serve the monitor too) only when the content changed.
    found, content = [], None
    if with_changes and plan.adopted_round_id:
        key = f"plans:changes:{plan.adopted_round_id}:{content_version(plan)}"
        found = cache.get(key)
        if found is None:
            content = list(content_queryset(plan))
            found = changes(plan.adopted_round.snapshot, stored(snapshot(plan, goals=content)))
            cache.set(key, found, TIMEOUT)
    if content is None:
        goals = list(
            Goal.objects.filter(plan=plan, archived_at__isnull=True).order_by("order", "pk")
        )
        action_plans = None
    else:
        goals = content
        action_plans = [a for goal in content for a in goal.current_action_plans]
    goal_ids = None
    if filters.goal:
        goal_ids = {g.pk for g in goals if filters.goal in (g.pk, g.parent_id)}
    all_rows = action_plan_rows(plan, day, grace, action_plans)
    rows = [row for row in all_rows if _matches(row, filters, goal_ids)]
    promotors = {r.action_plan.promotor for r in all_rows if r.action_plan.promotor_id}
    groups = {r.action_plan.working_group for r in all_rows if r.action_plan.working_group_id}
    escalations = list(
        Escalation.objects.filter(plan=plan)
        .select_related("goal", "action_plan", "raised_by", "answered_by")
        .order_by("-raised_at", "-pk")[:50]
    )
    for escalation in escalations:  # named after the plan when about no goal: no query each
        escalation.plan = plan
    return Monitor(
        plan=plan,
        day=day,
        closed_on=closed,
        filters=filters,
        rows=rows,
        goals=_goal_tree(goals, rows, filters),
        indicators=indicator_rows(plan, rows, content),
        escalations=escalations,
        changes=found,
        window=plan_window(plan),
        all_goals=goals,
        promotors=sorted(promotors, key=lambda actor: (actor.name, actor.pk)),
        working_groups=sorted(groups, key=lambda group: (group.name, group.pk)),
    )
