"""The plans app's blocks on the dashboard: votes waiting for me; in phase 4, the reports I
owe, what needs the coordinator, a compact monitor for the college and the mayor's obstacles."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from plans.constants import PlanState, RoundStatus
from plans.models import ActionPlan, Escalation, Goal, Plan, Vote, VoteRound
from plans.monitor import GoalRow, rows_per_plan, status_choices
from plans.services.steering import grace_days
from safetynet.constants import Role
from safetynet.permissions import access_for


def votes_waiting(request) -> dict | None:
    """Open rounds in which I am an elector, and whether I voted yet. One query."""
    user = request.user
    rounds = list(
        VoteRound.objects.filter(status=RoundStatus.OPEN, electors__user=user)
        .annotate(voted=Exists(Vote.objects.filter(vote_round=OuterRef("pk"), member=user)))
        .select_related("plan__municipality")
        .order_by("deadline", "pk")
    )
    if not rounds:
        return None
    return {"rounds": rounds}


# --- Phase 4: steering -------------------------------------------------------------------------


class _Steering:
    """The plans in steering the dashboard's two steering panels show, for one request: those of
    the municipalities where the user coordinates or sits in the college, and those with an
    action plan the user promotes (``plan.mine``), in one query; their action plans' rows in
    three more, once for both panels."""

    def __init__(self, request):
        user, access = request.user, access_for(request.user)
        self.coordinating = set(access.municipality_ids("plans.close_plan"))
        self.college = set(access.municipality_ids("plans.vote_plan"))
        promoted = ActionPlan.objects.filter(
            goal__plan=OuterRef("pk"), promotor__user=user, archived_at__isnull=True
        )
        self.plans = list(
            Plan.objects.filter(state=PlanState.STEERING)
            .filter(Q(municipality_id__in=self.coordinating | self.college) | Exists(promoted))
            .annotate(mine=Exists(promoted))
            .select_related("municipality")
            .order_by("municipality__name", "-period_start", "pk")
        )
        self.rows_of = rows_per_plan(self.plans, timezone.localdate(), grace_days())

    @classmethod
    def of(cls, request) -> "_Steering":
        steering = getattr(request, "_plans_steering", None)
        if steering is None:
            steering = request._plans_steering = cls(request)
        return steering


def _goal_progress(plans, rows_of) -> dict[int, list[tuple]]:
    """Per plan, progress per strategic goal as on the monitor: (goal, percent or None). One
    query for the goals of every plan."""
    goals = Goal.objects.filter(plan__in=plans, parent__isnull=True, archived_at__isnull=True)
    found: dict[int, list[tuple]] = {plan.pk: [] for plan in plans}
    for goal in goals.order_by("order", "pk"):
        mine = [
            row
            for row in rows_of[goal.plan_id]
            if goal.pk in (row.action_plan.goal_id, row.action_plan.goal.parent_id)
        ]
        progress = GoalRow(goal, mine).progress
        found[goal.plan_id].append((goal, None if progress is None else round(progress * 100)))
    return found


def reports_due(request) -> dict | None:
    """Promotors: the reports I owe on my action plans, overdue or due within the reminder
    window. The plans and their rows are the steering panel's too (:class:`_Steering`: four
    queries for both panels, whatever the number of plans)."""
    user, today = request.user, timezone.localdate()
    steering = _Steering.of(request)
    plans = [plan for plan in steering.plans if plan.mine]
    soon = today + datetime.timedelta(days=settings.SAFETYNET_REPORT_REMINDER_DAYS)
    rows = []
    rows_of = steering.rows_of
    for plan in plans:
        for row in rows_of[plan.pk]:
            promotor = row.action_plan.promotor
            if promotor is None or promotor.user_id != user.pk:
                continue
            due = [p for p in row.open if p.due <= soon]
            if row.overdue or due:
                row.plan, row.due_soon = plan, due
                rows.append(row)
    return {"rows": rows} if rows else None


def steering_attention(request) -> dict | None:
    """The coordinator: per plan in steering, the reports overdue and the action plans at risk
    or delayed. The college: a compact monitor of the plan in steering (status counts and
    progress per strategic goal). The mayor: obstacles waiting for an answer. At most six
    queries whatever the number of municipalities and plans, four of them shared with
    :func:`reports_due`."""
    access = access_for(request.user)
    steering = _Steering.of(request)
    coordinating, college = steering.coordinating, steering.college
    if not (coordinating or college):
        return None
    plans = [plan for plan in steering.plans if plan.municipality_id in coordinating | college]
    rows_of = steering.rows_of
    progress = _goal_progress([p for p in plans if p.municipality_id in college], rows_of)
    entries = []
    for plan in plans:
        rows = rows_of[plan.pk]
        entry = {"plan": plan, "coordinating": plan.municipality_id in coordinating}
        entry["overdue"] = sum(len(row.overdue) for row in rows)
        entry["trouble"] = [row for row in rows if row.in_trouble]
        if plan.municipality_id in college:
            counts = {}
            for row in rows:
                counts[row.status] = counts.get(row.status, 0) + 1
            entry["counts"] = [(v, label, counts.get(v, 0)) for v, label in status_choices()]
            entry["progress"] = progress[plan.pk]
        entries.append(entry)
    # The mayor (chair of the college): obstacles waiting, of the plans in steering.
    chaired = college & access.chaired(Role.COLLEGE)
    escalations = (
        list(
            Escalation.objects.filter(
                plan__municipality_id__in=chaired,
                plan__state=PlanState.STEERING,
                answered_at__isnull=True,
            )
            .select_related("plan__municipality", "goal", "action_plan")
            .order_by("raised_at", "pk")
        )
        if chaired and plans
        else []
    )
    if not entries and not escalations:
        return None
    return {"entries": entries, "escalations": escalations}
