"""The version of a plan's content, for caching what is rendered from it.

Every change to a plan's content is a model save or delete (the services never ``update()`` in
bulk), so every change writes a history record, and history ids only grow: the newest history id
of each table the content is read from, restricted to this plan, changes whenever anything shown
changes — the plan, its goals, phenomena links, action plans, partners, results, indicators,
actions and resources, the names of the municipality's actors (promotors, partners) and working
groups, and of the phenomena. One query, on the history tables' foreign-key indexes. The
monitor's version adds the steering's records: progress reports, measurements, obstacles.

A rendered fragment keyed by this version (and by whatever else varies it: the language, the
reader's rights) is never stale, on one server or many."""

from django.core.cache import cache
from django.db.models import Q

from actors.models import Actor
from coregroup.models import WorkingGroup
from plans.content import VERSION, content_hash, snapshot, stored
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    Escalation,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Measurement,
    Phenomenon,
    Plan,
    ProgressReport,
    Resource,
)
from safetynet.versions import newest, run_once_compiled


def _version_query(plan_id: int, municipality_id: int, *, steering: bool = False):
    goals = Goal.objects.filter(plan_id=plan_id).values("pk")
    action_plans = ActionPlan.objects.filter(goal__plan_id=plan_id).values("pk")
    results = ExpectedResult.objects.filter(action_plan__goal__plan_id=plan_id).values("pk")
    grouped = {
        "plan": (Plan.history.filter(id=plan_id), "id"),
        "goals": (Goal.history.filter(plan_id=plan_id), "plan_id"),
        "actors": (Actor.history.filter(municipality_id=municipality_id), "municipality_id"),
        "working_groups": (
            WorkingGroup.history.filter(municipality_id=municipality_id),
            "municipality_id",
        ),
    }
    parts = {
        "phenomena_links": GoalPhenomenon.history.filter(goal_id__in=goals),
        "action_plans": ActionPlan.history.filter(goal_id__in=goals),
        "partners": ActionPlanPartner.history.filter(action_plan_id__in=action_plans),
        "results": ExpectedResult.history.filter(action_plan_id__in=action_plans),
        "indicators": Indicator.history.filter(expected_result_id__in=results),
        "actions": Action.history.filter(action_plan_id__in=action_plans),
        "resources": Resource.history.filter(action_plan_id__in=action_plans),
        "phenomena": Phenomenon.history.filter(
            Q(municipality_id=None) | Q(municipality_id=municipality_id)
        ),
    }
    if steering:  # what the monitor shows beside the content
        grouped["escalations"] = (Escalation.history.filter(plan_id=plan_id), "plan_id")
        parts["reports"] = ProgressReport.history.filter(action_plan_id__in=action_plans)
        indicators = Indicator.objects.filter(
            expected_result__action_plan__goal__plan_id=plan_id
        ).values("pk")
        parts["measurements"] = Measurement.history.filter(indicator_id__in=indicators)
    return (
        Plan.objects.filter(pk=plan_id)
        .annotate(
            **{f"v_{name}": newest(history, by) for name, (history, by) in grouped.items()},
            **{f"v_{name}": newest(history) for name, history in parts.items()},
        )
        .values_list(*(f"v_{name}" for name in [*grouped, *parts]))
        .order_by()[:1]
    )


def _version(plan: Plan, steering: bool) -> str:
    return run_once_compiled(
        ("plan", steering),
        Plan,
        lambda plan_id, municipality_id: _version_query(
            plan_id, municipality_id, steering=steering
        ),
        plan.pk,
        plan.municipality_id,
    )


def content_version(plan: Plan) -> str:
    """A short text that changes whenever the plan's content as its pages show it changes."""
    return _version(plan, steering=False)


def monitor_version(plan: Plan) -> str:
    """The content version with the steering's own records: progress reports, measurements and
    obstacles (everything the monitor reads has its history, so this too is one query)."""
    return _version(plan, steering=True)


# A day: a version's entries are never stale, only unused once the content changed.
TIMEOUT = 24 * 60 * 60


def current_snapshot(plan: Plan, version: str | None = None, goals=None) -> dict:
    """The plan's content as stored data (``plans.content.stored(snapshot(plan))``), computed
    once per content version. ``goals``: a function giving the content's goals when they are
    already loaded; ``version``: the plan's content version when already known."""
    version = version or content_version(plan)
    return cache.get_or_set(
        f"plans:snapshot:{VERSION}:{plan.pk}:{version}",
        lambda: stored(snapshot(plan, goals=goals() if goals else None)),
        TIMEOUT,
    )


def cached_content_hash(plan: Plan, version: str, goals=None) -> str:
    """The hash of the plan's content snapshot, computed once per version (the same as
    ``content_hash(snapshot(plan))``)."""
    return cache.get_or_set(
        f"plans:content-hash:{VERSION}:{plan.pk}:{version}",
        lambda: content_hash(current_snapshot(plan, version, goals)),
        TIMEOUT,
    )
