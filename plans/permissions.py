"""Who may change what in a plan: the coordinator through their role, a promotor through the
personal grant on their own action plans (and what hangs under them)."""

from plans.models import ActionPlan
from plans.services.content import action_plan_of, plan_of
from safetynet.permissions import access_for, has_perm


def may_change(user, item) -> bool:
    """May ``user`` edit ``item`` (a plan, goal, action plan or something under one)?"""
    action_plan = action_plan_of(item)
    if action_plan is not None:
        return has_perm(user, "plans.change_actionplan", action_plan)
    model = type(item)._meta.model_name
    return has_perm(user, f"plans.change_{model}", plan_of(item))


def may_add_under(user, parent, model) -> bool:
    """May ``user`` add an item of ``model`` under ``parent`` (a plan, goal, action plan or
    expected result)?"""
    action_plan = action_plan_of(parent)
    if action_plan is not None:
        return has_perm(user, "plans.change_actionplan", action_plan)
    return has_perm(user, f"plans.add_{model._meta.model_name}", plan_of(parent))


def edit_signature(user, plan) -> str:
    """Everything :func:`may_change` answers for the items of ``plan`` depends on, as a short
    text: whether the user may change the plan's goals (through a role or a grant on the plan),
    whether a role lets them change every action plan, and which action plans a personal grant
    lets them change. Readers with the same signature see the same editing controls, so it keys
    the plan page's cached content; a changed role or grant gives a new signature."""
    access = access_for(user)
    perm = "plans.change_actionplan"
    if access.role_allows(perm, plan.municipality_id):
        action_plans = "all"
    else:
        action_plans = ",".join(map(str, sorted(access.personal_ids(ActionPlan, perm))))
    goals = int(has_perm(user, "plans.change_goal", plan))
    return f"g{goals}a{action_plans}"
