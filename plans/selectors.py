"""Reads of the plans app, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.constants import RoleType
from actors.models import Actor
from coregroup.models import FollowUpTask, WorkingGroup
from coregroup.selectors import CLOSED_STATUSES, mark_overdue
from plans.constants import (
    ActionPlanStatus,
    Availability,
    FundingSource,
    PlanState,
    RemarkStatus,
    ResourceKind,
)
from plans.content import content_queryset
from plans.models import (
    ActionPlan,
    CouncilDecision,
    Discussion,
    Phenomenon,
    PlanTransition,
    ProgressReport,
    Remark,
    RoundElector,
    Vote,
    VoteRound,
)
from plans.periods import missing_reports, owed_periods

# The plans whose action plans the kerngroep follows up: adopted and carried out.
FOLLOWED_STATES = (PlanState.STEERING,)


@dataclass
class PromotorRow:
    """One promotor on the follow-up board: what they lead and what they owe."""

    actor: Actor
    working_groups: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    action_plans: list = field(default_factory=list)

    @property
    def overdue(self) -> list:
        """Open follow-up tasks past their due date, and action plans past their end date
        that are neither done nor stopped."""
        late_plans = [ap for ap in self.action_plans if ap.is_overdue or ap.overdue_reports]
        return [task for task in self.tasks if task.is_overdue] + late_plans


def promotors(municipality, day: datetime.date | None = None):
    """The municipality's promotors on ``day``: actors holding the promotor role then, leading
    an active working group, or promoting an action plan of a plan in steering."""
    day = day or timezone.localdate()
    holds_role = Q(role_assignments__role=RoleType.PROMOTOR, role_assignments__start__lte=day) & (
        Q(role_assignments__end__isnull=True) | Q(role_assignments__end__gte=day)
    )
    leads = Q(led_working_groups__active=True)
    promotes = Q(
        promoted_action_plans__archived_at__isnull=True,
        promoted_action_plans__goal__plan__state__in=FOLLOWED_STATES,
    )
    ids = Actor.objects.filter(holds_role | leads | promotes, municipality=municipality).values(
        "pk"
    )
    return Actor.objects.filter(pk__in=ids).order_by("name", "pk")


def follow_up_board(actors, day: datetime.date | None = None) -> list[PromotorRow]:
    """Per promotor (``actors``: one page of :func:`promotors`), the working groups they lead,
    their open follow-up tasks and the action plans of plans in steering, overdue marked (past
    their end, or a progress report missing after its due date). Five queries whatever the
    numbers."""
    day = day or timezone.localdate()
    groups = WorkingGroup.objects.filter(active=True).order_by("name")
    tasks = (
        FollowUpTask.objects.exclude(status__in=CLOSED_STATUSES)
        .select_related("decision__meeting__core_group", "decision__meeting__working_group")
        .order_by("due", "pk")
    )
    action_plans = (
        ActionPlan.objects.filter(
            archived_at__isnull=True,
            goal__archived_at__isnull=True,
            goal__plan__state__in=FOLLOWED_STATES,
        )
        .select_related("goal__plan")
        .order_by("end", "pk")
    )
    actors = actors.prefetch_related(
        Prefetch("led_working_groups", queryset=groups, to_attr="led"),
        Prefetch("follow_up_tasks", queryset=tasks, to_attr="open_tasks"),
        Prefetch("promoted_action_plans", queryset=action_plans, to_attr="followed_plans"),
    )
    actors = list(actors)
    reports = _reported_periods([ap for actor in actors for ap in actor.followed_plans])
    rows = []
    for actor in actors:
        for action_plan in actor.followed_plans:
            action_plan.is_overdue = (
                action_plan.end is not None
                and action_plan.end < day
                and action_plan.status not in (ActionPlanStatus.DONE, ActionPlanStatus.STOPPED)
            )
            action_plan.overdue_reports = _overdue_reports(
                action_plan, reports.get(action_plan.pk, {}), day
            )
        rows.append(
            PromotorRow(actor, actor.led, mark_overdue(actor.open_tasks, day), actor.followed_plans)
        )
    return rows


def _reported_periods(action_plans) -> dict[int, dict]:
    """Per action plan: {period end: status} of its progress reports. One query."""
    found: dict[int, dict] = {}
    if not action_plans:
        return found
    rows = ProgressReport.objects.filter(
        action_plan_id__in=[ap.pk for ap in action_plans]
    ).values_list("action_plan_id", "period_end", "status")
    for action_plan_id, period_end, status in rows:
        found.setdefault(action_plan_id, {})[period_end] = status
    return found


def _overdue_reports(action_plan, reports: dict, day: datetime.date):
    plan = action_plan.goal.plan
    owed = owed_periods(
        reports_from=plan.reports_from,
        months=plan.report_frequency,
        grace=settings.SAFETYNET_REPORT_GRACE_DAYS,
        until=day,
        start=action_plan.start,
        end=action_plan.end,
        reports=reports,
    )
    return missing_reports(owed, reports, day)[0]


# --- The plan page -----------------------------------------------------------------------------


@dataclass
class Totals:
    """Budget of a goal or a plan: available and still required, and per funding source."""

    available: Decimal = Decimal(0)
    required: Decimal = Decimal(0)
    by_source: dict = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.available + self.required

    def add(self, resource) -> None:
        if resource.kind != ResourceKind.BUDGET:
            return
        if resource.availability == Availability.AVAILABLE:
            self.available += resource.amount
        else:
            self.required += resource.amount
        source = resource.funding_source or ""
        self.by_source[source] = self.by_source.get(source, Decimal(0)) + resource.amount

    def merge(self, other: "Totals") -> None:
        self.available += other.available
        self.required += other.required
        for source, amount in other.by_source.items():
            self.by_source[source] = self.by_source.get(source, Decimal(0)) + amount

    @property
    def sources(self) -> list[tuple[str, Decimal]]:
        labels = dict(FundingSource.choices)
        return [
            (str(labels.get(source, _("No source given"))), amount)
            for source, amount in sorted(self.by_source.items())
        ]


@dataclass
class PlanContent:
    """The plan as its page reads: strategic goals with their operational goals and action
    plans, the totals, and the phenomena covered and left."""

    goals: list
    all_goals: list
    totals: Totals
    covered: list
    left: list
    action_plan_count: int


def plan_content(plan, *, detail: bool = True) -> PlanContent:
    """Everything the plan page shows, in a fixed number of queries whatever the number of
    goals and action plans (content_queryset's 8, the catalogue's 1). ``detail=False``: without
    the actions and indicators (see content_queryset)."""
    goals = list(content_queryset(plan, detail=detail))
    by_parent: dict[int, list] = {}
    for goal in goals:
        goal.totals = Totals()
        for action_plan in goal.current_action_plans:
            for resource in action_plan.current_resources:
                goal.totals.add(resource)
        if goal.parent_id is not None:
            by_parent.setdefault(goal.parent_id, []).append(goal)
    strategic = [goal for goal in goals if goal.parent_id is None]
    totals = Totals()
    for goal in strategic:
        goal.children = by_parent.get(goal.pk, [])
        for child in goal.children:
            goal.totals.merge(child.totals)
        totals.merge(goal.totals)
    covered_ids = {link.phenomenon_id for goal in goals for link in goal.phenomenon_links}
    catalogue = list(
        Phenomenon.objects.filter(Q(municipality=None) | Q(municipality_id=plan.municipality_id))
    )
    return PlanContent(
        goals=strategic,
        all_goals=goals,
        totals=totals,
        covered=[p for p in catalogue if p.pk in covered_ids],
        left=[p for p in catalogue if p.pk not in covered_ids],
        action_plan_count=sum(len(goal.current_action_plans) for goal in goals),
    )


# --- Where the plan stands and what was decided ------------------------------------------------


def plan_decisions(plan):
    """Every past decision on the plan: its transitions (who, when, from, to, why), its vote
    rounds with electors and votes, the council's decisions and where the kerngroep discussed
    it. Six queries."""
    transitions = list(
        PlanTransition.objects.filter(plan=plan).select_related("by").order_by("at", "pk")
    )
    rounds = list(
        VoteRound.objects.filter(plan=plan)
        .defer("snapshot")
        .prefetch_related(
            Prefetch(
                "electors",
                queryset=RoundElector.objects.select_related("user").order_by("pk"),
                to_attr="elector_list",
            ),
            Prefetch("votes", queryset=Vote.objects.all(), to_attr="vote_list"),
        )
        .order_by("opened_at", "pk")
    )
    for vote_round in rounds:
        by_member = {vote.member_id: vote for vote in vote_round.vote_list}
        vote_round.rows = [(e.user, by_member.get(e.user_id)) for e in vote_round.elector_list]
    council = list(CouncilDecision.objects.filter(plan=plan).order_by("date", "pk"))
    discussions = list(
        Discussion.objects.filter(plan=plan)
        .select_related("agenda_item__meeting", "goal", "action_plan")
        .order_by("-agenda_item__meeting__starts_at", "-pk")
    )
    return {
        "transitions": transitions,
        "rounds": rounds,
        "council": council,
        "discussions": discussions,
    }


# --- The antwoordnota --------------------------------------------------------------------------


def answer_note(plan) -> list[tuple]:
    """Every remark of the consultation (spam aside) with its answer, grouped by the goal it is
    about (a remark on an action plan counts for that action plan's goal), the plan as a whole
    last: ``[(goal or None, [remarks])]``. One query."""
    remarks = (
        Remark.objects.filter(plan=plan)
        .exclude(status=RemarkStatus.SPAM)
        .select_related("goal", "action_plan__goal", "response")
        .order_by("goal__order", "pk")
    )
    groups: dict = {}
    for remark in remarks:
        goal = remark.goal or (remark.action_plan.goal if remark.action_plan else None)
        groups.setdefault(goal, []).append(remark)
    return sorted(groups.items(), key=lambda pair: (pair[0] is None, getattr(pair[0], "order", 0)))
