"""Bare views: an HTML table of ``rows`` rows from one of SafetyNet's tables, for one
municipality, with the joins a reader of that table needs and nothing else — no permissions, no
navigation, no translations of their own. What a page of SafetyNet showing the same rows is
compared with."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from actors.models import Actor
from coregroup.models import SeatHolding
from plans.models import ActionPlan
from safetynet.models import Municipality


def _actors(municipality):
    return (
        Actor.objects.filter(municipality=municipality)
        .select_related("kind", "organisation")
        .order_by("name", "pk"),
        lambda a: (a.name, a.kind.name, a.organisation.name if a.organisation else "", a.email),
    )


def _action_plans(municipality, plan=None):
    rows = ActionPlan.objects.filter(goal__plan__municipality=municipality)
    if plan:
        rows = rows.filter(goal__plan_id=plan)
    return (
        rows.select_related("goal", "promotor").order_by("goal__order", "order", "pk"),
        lambda p: (p.goal.title, p.title, p.promotor.name if p.promotor else "", p.start, p.end),
    )


def _seats(municipality):
    return (
        SeatHolding.objects.filter(seat__core_group__municipality=municipality)
        .select_related("seat", "actor")
        .order_by("seat__order", "-start"),
        lambda h: (h.seat.get_function_display(), h.actor.name, h.start, h.end or ""),
    )


def _history(municipality, plan=None):
    rows = ActionPlan.history.filter(goal__plan__municipality=municipality)
    if plan:
        rows = rows.filter(goal__plan_id=plan)
    return (
        rows.select_related("history_user").order_by("-history_date", "-history_id"),
        lambda h: (
            h.history_date,
            h.history_user.username if h.history_user else "",
            h.get_history_type_display(),
            h.title,
        ),
    )


TABLES = {
    "actors": _actors,
    "action-plans": _action_plans,
    "seats": _seats,
    "history": _history,
}


def table(request, municipality, name):
    try:
        source = TABLES[name]
    except KeyError:
        raise Http404 from None
    municipality = get_object_or_404(Municipality, slug=municipality)
    plan = request.GET.get("plan")
    kwargs = {"plan": int(plan)} if plan and name in {"action-plans", "history"} else {}
    queryset, cells = source(municipality, **kwargs)
    count = int(request.GET.get("rows", 25))
    rows = [cells(item) for item in queryset[:count]]
    return render(request, "floor/table.html", {"name": name, "rows": rows})
