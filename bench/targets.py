"""What the benchmark measures: SafetyNet's main pages in the target municipality of the scale
data (``scale-001``: 1,000 actors, plans of 200 action plans), each with its floor — a bare view
of the same rows from the same tables — and, where Django's admin lists those rows, the admin's
changelist of them.

``resolve()`` runs inside Django (``bench/prepare.py``) and turns the list into addresses."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    role: str  # "college", "coordinator" or "anonymous": whose session requests the page
    path: str
    floor: str  # the floor's address (bare view of the same rows)
    admin: str  # Django admin's changelist of the same rows, or "" where it has none
    rows: int  # the rows the page shows, and the floor and the admin with it

    def as_dict(self) -> dict:
        return asdict(self)


def resolve(slug: str) -> list[Target]:
    from django.urls import reverse

    from actors.models import Actor
    from coregroup.models import SeatHolding
    from plans.constants import PlanState
    from plans.models import ActionPlan, Plan
    from safetynet.models import Municipality

    municipality = Municipality.objects.get(slug=slug)
    m = {"municipality": slug}

    def plan_in(state):
        plan = Plan.objects.filter(municipality=municipality, state=state).order_by("pk").first()
        if plan is None:
            raise SystemExit(f"bench: {slug} has no plan in the state {state}; run seed_scale.")
        return plan, ActionPlan.objects.filter(goal__plan=plan, archived_at=None).count()

    steering, steering_rows = plan_in(PlanState.STEERING)
    review, review_rows = plan_in(PlanState.COLLEGE_REVIEW)
    consultation, consultation_rows = plan_in(PlanState.CONSULTATION)
    actors = Actor.objects.filter(municipality=municipality)
    active_actors = actors.filter(active=True).count()
    page_of_actors = min(25, actors.count())
    page_of_history = min(25, ActionPlan.history.filter(goal__plan=steering).count())
    holdings = SeatHolding.objects.filter(seat__core_group__municipality=municipality).count()

    def floor(table, rows, plan=None):
        address = f"/floor/{slug}/{table}/?rows={rows}"
        return address + (f"&plan={plan.pk}" if plan else "")

    def admin_action_plans(plan):
        return f"/admin/plans/actionplan/?goal__plan__id__exact={plan.pk}"

    actors_admin = f"/admin/actors/actor/?municipality__id__exact={municipality.pk}"
    return [
        Target(
            "dashboard",
            "Dashboard (college member)",
            "college",
            reverse("dashboard"),
            floor("action-plans", min(25, review_rows), review),
            "",
            min(25, review_rows),
        ),
        Target(
            "actor-list",
            "Actor list (1 page of 25 of all actors)",
            "coordinator",
            reverse("actors:actor-list", kwargs=m),
            floor("actors", page_of_actors),
            actors_admin,
            page_of_actors,
        ),
        Target(
            "network",
            "Network picture (every active actor)",
            "coordinator",
            reverse("actors:network", kwargs=m),
            floor("actors", active_actors),
            f"{actors_admin}&all=",
            active_actors,
        ),
        Target(
            "kerngroep",
            "Kerngroep page",
            "coordinator",
            reverse("coregroup:composition", kwargs=m),
            floor("seats", holdings),
            f"/admin/coregroup/seatholding/?seat__core_group__municipality__id__exact="
            f"{municipality.pk}",
            holdings,
        ),
        Target(
            "plan",
            f"Plan page ({steering_rows} action plans)",
            "coordinator",
            reverse("plans:plan-detail", kwargs={**m, "pk": steering.pk}),
            floor("action-plans", steering_rows, steering),
            admin_action_plans(steering),
            steering_rows,
        ),
        Target(
            "vote",
            f"Vote page ({review_rows} action plans)",
            "college",
            reverse("plans:vote", kwargs={**m, "pk": review.pk}),
            floor("action-plans", review_rows, review),
            admin_action_plans(review),
            review_rows,
        ),
        Target(
            "public",
            f"Public consultation page, anonymous ({consultation_rows} action plans)",
            "anonymous",
            reverse("public-plan", kwargs={**m, "pk": consultation.pk}),
            floor("action-plans", consultation_rows, consultation),
            admin_action_plans(consultation),
            consultation_rows,
        ),
        Target(
            "monitor",
            f"Monitor ({steering_rows} action plans)",
            "coordinator",
            reverse("monitor:monitor", kwargs=m) + f"?plan={steering.pk}",
            floor("action-plans", steering_rows, steering),
            admin_action_plans(steering),
            steering_rows,
        ),
        Target(
            "history",
            "History page of a plan (1 page of 25 changes)",
            "coordinator",
            reverse("plans:plan-history", kwargs={**m, "pk": steering.pk}),
            floor("history", page_of_history, steering),
            "",
            page_of_history,
        ),
    ]
