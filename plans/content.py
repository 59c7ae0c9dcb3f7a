"""What "the content" of a plan is (DESIGN.md): a canonical JSON snapshot of the plan, its goals,
action plans, actions, resources, expected results and indicators — everything the college
adopts, and nothing that moves during steering (status, progress, reports, timestamps) — and
its SHA-256, the content hash. Vote rounds and the adopted version store both; vote pages and
diffs render from the stored snapshot."""

import hashlib
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Resource,
)

VERSION = 1  # of the snapshot's shape; a change of shape changes every hash


def _amount(value: Decimal | None) -> str | None:
    """Decimals as normalised text: 1500, 1500.0 and 1500.00 are the same amount."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _current(queryset):
    return queryset.filter(archived_at__isnull=True).order_by("order", "pk")


def content_queryset(plan, *, detail: bool = True):
    """The plan's goals with everything below them, in a fixed number of queries (8).

    ``detail=False`` leaves out the actions and the indicators (6 queries), for pages that do
    not show them (the public page): a plan of 200 action plans has a thousand actions."""
    results = _current(ExpectedResult.objects.all())
    if detail:
        results = results.prefetch_related(
            Prefetch(
                "indicators",
                queryset=_current(Indicator.objects.all()),
                to_attr="current_indicators",
            )
        )
    parts = [
        Prefetch(
            "partners",
            queryset=ActionPlanPartner.objects.select_related("actor").order_by("actor__name"),
            to_attr="partner_list",
        ),
        Prefetch("expected_results", queryset=results, to_attr="current_results"),
        Prefetch(
            "resources", queryset=_current(Resource.objects.all()), to_attr="current_resources"
        ),
    ]
    if detail:
        parts.append(
            Prefetch("actions", queryset=_current(Action.objects.all()), to_attr="current_actions")
        )
    action_plans = (
        _current(ActionPlan.objects.all())
        .select_related("promotor", "working_group")
        .prefetch_related(*parts)
    )
    return _current(plan.goals.all()).prefetch_related(
        Prefetch(
            "goal_phenomena",
            queryset=GoalPhenomenon.objects.select_related("phenomenon"),
            to_attr="phenomenon_links",
        ),
        Prefetch("action_plans", queryset=action_plans, to_attr="current_action_plans"),
    )


def _action_plan(action_plan) -> dict:
    return {
        "id": action_plan.pk,
        "title": action_plan.title,
        "description": action_plan.description,
        "priority": action_plan.priority,
        "promotor": action_plan.promotor.name if action_plan.promotor_id else None,
        "partners": [link.actor.name for link in action_plan.partner_list],
        "working_group": action_plan.working_group.name if action_plan.working_group_id else None,
        "start": action_plan.start,
        "end": action_plan.end,
        "expected_results": [
            {
                "id": result.pk,
                "text": result.text,
                "indicators": [
                    {
                        "id": indicator.pk,
                        "name": indicator.name,
                        "type": indicator.type,
                        "objectivity": indicator.objectivity,
                        "source": indicator.source,
                        "unit": indicator.unit,
                        "baseline": _amount(indicator.baseline),
                        "target": _amount(indicator.target),
                        "frequency": indicator.frequency,
                    }
                    for indicator in result.current_indicators
                ],
            }
            for result in action_plan.current_results
        ],
        "actions": [
            {"id": a.pk, "title": a.title, "priority": a.priority, "due": a.due}
            for a in action_plan.current_actions
        ],
        "resources": [
            {
                "id": r.pk,
                "kind": r.kind,
                "description": r.description,
                "amount": _amount(r.amount),
                "unit": r.unit,
                "availability": r.availability,
                "funding_source": r.funding_source,
            }
            for r in action_plan.current_resources
        ],
    }


def _goal(goal, children) -> dict:
    return {
        "id": goal.pk,
        "title": goal.title,
        "description": goal.description,
        "police_plan_reference": goal.police_plan_reference,
        "multiyear_plan_code": goal.multiyear_plan_code,
        "phenomena": sorted(link.phenomenon.code for link in goal.phenomenon_links),
        "action_plans": [_action_plan(ap) for ap in goal.current_action_plans],
        "goals": [_goal(child, {}) for child in children.get(goal.pk, [])],
    }


def snapshot(plan, goals=None) -> dict:
    """The plan's content as plain data, in the plan's order. ``goals``: the plan's
    :func:`content_queryset` already loaded (the plan page has it)."""
    goals = list(content_queryset(plan)) if goals is None else goals
    children: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.parent_id is not None:
            children.setdefault(goal.parent_id, []).append(goal)
    return {
        "version": VERSION,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "summary": plan.summary,
        },
        "goals": [_goal(goal, children) for goal in goals if goal.parent_id is None],
    }


def canonical(data: dict) -> bytes:
    """One byte string per content: sorted keys, no spaces, UTF-8, dates in ISO 8601."""
    text = json.dumps(
        data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode()


def content_hash(data: dict) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def stored(data: dict) -> dict:
    """The snapshot as a JSON field gives it back: what rounds store and pages render."""
    return json.loads(canonical(data))


def current_hash(plan) -> str:
    return content_hash(snapshot(plan))


# --- Reading stored snapshots: totals and what changed -----------------------------------------


def items(data: dict) -> dict[tuple[str, int], dict]:
    """Every item of a stored snapshot by (kind, id), its children left out."""
    found: dict[tuple[str, int], dict] = {}

    def flat(fields: dict, **parent) -> dict:
        """The item's own fields and where it stands (a move shows as a change)."""
        own = {k: v for k, v in fields.items() if not isinstance(v, list) or k in FLAT_LISTS}
        return {**own, **parent}

    def walk_goal(goal, parent=None):
        found[("goal", goal["id"])] = flat(goal, parent=parent)
        for action_plan in goal["action_plans"]:
            found[("action_plan", action_plan["id"])] = flat(action_plan, goal=goal["id"])
            for result in action_plan["expected_results"]:
                found[("expected_result", result["id"])] = flat(
                    result, action_plan=action_plan["id"]
                )
                for indicator in result["indicators"]:
                    found[("indicator", indicator["id"])] = flat(
                        indicator, expected_result=result["id"]
                    )
            for action in action_plan["actions"]:
                found[("action", action["id"])] = flat(action, action_plan=action_plan["id"])
            for resource in action_plan["resources"]:
                found[("resource", resource["id"])] = flat(resource, action_plan=action_plan["id"])
        for child in goal["goals"]:
            walk_goal(child, parent=goal["id"])

    found[("plan", data["plan"]["id"])] = flat(data["plan"])
    for goal in data["goals"]:
        walk_goal(goal)
    return found


FLAT_LISTS = ("phenomena", "partners")

# The snapshot's field names in words, for pages that show what changed.
FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "description": gettext_lazy("description"),
    "summary": gettext_lazy("summary"),
    "period_start": gettext_lazy("first year"),
    "period_end": gettext_lazy("last year"),
    "phenomena": gettext_lazy("phenomena"),
    "police_plan_reference": gettext_lazy("reference in the zonal security plan"),
    "multiyear_plan_code": gettext_lazy("code in the multi-year plan"),
    "priority": gettext_lazy("priority"),
    "promotor": gettext_lazy("promotor"),
    "partners": gettext_lazy("partners"),
    "working_group": gettext_lazy("working group"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "text": gettext_lazy("expected result"),
    "name": gettext_lazy("name"),
    "type": gettext_lazy("type"),
    "objectivity": gettext_lazy("objective or subjective"),
    "source": gettext_lazy("source"),
    "unit": gettext_lazy("unit"),
    "baseline": gettext_lazy("baseline"),
    "target": gettext_lazy("target"),
    "frequency": gettext_lazy("frequency"),
    "due": gettext_lazy("due date"),
    "kind": gettext_lazy("kind"),
    "amount": gettext_lazy("amount"),
    "availability": gettext_lazy("availability"),
    "funding_source": gettext_lazy("funding source"),
    "parent": gettext_lazy("strategic goal"),
    "goal": gettext_lazy("goal"),
    "action_plan": gettext_lazy("action plan"),
    "expected_result": gettext_lazy("expected result"),
}


def changes(old: dict | None, new: dict) -> list[dict]:
    """What changed from one stored snapshot to another: items added, removed and changed
    (with their changed fields), in the new snapshot's order."""
    if old is None:
        return []
    before, after = items(old), items(new)
    found = []
    for key, fields in after.items():
        if key not in before:
            found.append({"kind": key[0], "action": "added", "label": _label(fields), "fields": []})
        elif before[key] != fields:
            changed = [
                str(FIELD_LABELS.get(k, k))
                for k in sorted(fields)
                if before[key].get(k) != fields.get(k)
            ]
            found.append(
                {"kind": key[0], "action": "changed", "label": _label(fields), "fields": changed}
            )
    for key, fields in before.items():
        if key not in after:
            found.append(
                {"kind": key[0], "action": "removed", "label": _label(fields), "fields": []}
            )
    return found


def _label(fields: dict) -> str:
    return str(
        fields.get("title") or fields.get("text") or fields.get("name") or fields.get("kind")
    )


def budget(data: dict) -> dict[str, Decimal]:
    """Budget available and still required in a stored snapshot."""
    totals = {"available": Decimal(0), "required": Decimal(0)}
    for (kind, _id), fields in items(data).items():
        if kind == "resource" and fields["kind"] == "budget":
            totals[fields["availability"]] += Decimal(fields["amount"])
    return totals


def phenomena_codes(data: dict) -> set[str]:
    return {
        code
        for (kind, _id), fields in items(data).items()
        if kind == "goal"
        for code in fields["phenomena"]
    }
