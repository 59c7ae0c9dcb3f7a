"""Who may change what in a plan: the coordinator through their role, a promotor through the
personal grant on their own action plans (and what hangs under them)."""

from plans.services.content import action_plan_of, plan_of
from safetynet.permissions import has_perm


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
