"""The plans app's blocks on the dashboard: votes waiting for me; in phase 4, the reports I
owe, what needs the coordinator, a compact monitor for the college and the mayor's obstacles."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from plans.constants import PlanState, RoundStatus
from plans.models import Escalation, Goal, Plan, Vote, VoteRound
from plans.monitor import GoalRow, action_plan_rows, status_choices
from plans.services.steering import grace_days
from safetynet.constants import Role
from safetynet.models import Membership
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


def _steered(municipality_ids) -> list[Plan]:
    return list(
        Plan.objects.filter(state=PlanState.STEERING, municipality_id__in=municipality_ids)
        .select_related("municipality")
        .order_by("municipality__name", "-period_start", "pk")
    )


def _goal_progress(plan, rows) -> list[tuple]:
    """Progress per strategic goal, as on the monitor: (goal, percent or None). One query."""
    goals = Goal.objects.filter(plan=plan, parent__isnull=True, archived_at__isnull=True)
    found = []
    for goal in goals.order_by("order", "pk"):
        mine = [r for r in rows if goal.pk in (r.action_plan.goal_id, r.action_plan.goal.parent_id)]
        progress = GoalRow(goal, mine).progress
        found.append((goal, None if progress is None else round(progress * 100)))
    return found


def reports_due(request) -> dict | None:
    """Promotors: the reports I owe on my action plans, overdue or due within the reminder
    window. Two queries, then three per plan in steering I promote in (usually one)."""
    user, today = request.user, timezone.localdate()
    plans = list(
        Plan.objects.filter(
            state=PlanState.STEERING,
            goals__action_plans__promotor__user=user,
            goals__action_plans__archived_at__isnull=True,
        )
        .distinct()
        .select_related("municipality")
    )
    soon = today + datetime.timedelta(days=settings.SAFETYNET_REPORT_REMINDER_DAYS)
    rows = []
    for plan in plans:
        for row in action_plan_rows(plan, today, grace_days()):
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
    progress per strategic goal). The mayor: obstacles waiting for an answer."""
    user, today = request.user, timezone.localdate()
    access = access_for(user)
    coordinating = set(access.municipality_ids("plans.close_plan"))
    college = set(access.municipality_ids("plans.vote_plan"))
    chaired = set(
        Membership.objects.filter(user=user, role=Role.COLLEGE, is_chair=True).values_list(
            "municipality_id", flat=True
        )
    )
    if not (coordinating or college or chaired):
        return None
    entries = []
    for plan in _steered(coordinating | college):
        rows = action_plan_rows(plan, today, grace_days())
        entry = {"plan": plan, "coordinating": plan.municipality_id in coordinating}
        entry["overdue"] = sum(len(row.overdue) for row in rows)
        entry["trouble"] = [row for row in rows if row.in_trouble]
        if plan.municipality_id in college:
            counts = {}
            for row in rows:
                counts[row.status] = counts.get(row.status, 0) + 1
            entry["counts"] = [(v, label, counts.get(v, 0)) for v, label in status_choices()]
            entry["progress"] = _goal_progress(plan, rows)
        entries.append(entry)
    escalations = (
        list(
            Escalation.objects.filter(
                plan__municipality_id__in=chaired,
                plan__state=PlanState.STEERING,
                answered_at__isnull=True,
            ).select_related("plan__municipality", "goal", "action_plan")
        )
        if chaired
        else []
    )
    if not entries and not escalations:
        return None
    return {"entries": entries, "escalations": escalations}
