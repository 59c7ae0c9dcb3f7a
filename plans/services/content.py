"""Editing a plan's content: the plan itself, goals, action plans and what hangs under them.

One set of functions for every kind of item (add, update, move, remove), so the rules are written
once: content changes only in draft, revision and steering (read-only while a vote round is open
or the council decision is pending, and during the consultation, whose residents comment on the
plan as presented); removing deletes in draft and archives in revision (nothing is hard-deleted
once the plan has left draft); every update is checked against the version its form was loaded
at, so nobody saves over someone else's newer change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.models import Actor
from coregroup.models import WorkingGroup
from plans.constants import PlanState
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
)
from safetynet.concurrency import check_version, lock_row
from safetynet.history import record_actor
from safetynet.history import validated_save as _save
from safetynet.models import Municipality, User
from safetynet.permissions import grant_personal, revoke_personal

EDITABLE = (PlanState.DRAFT, PlanState.REVISION, PlanState.STEERING)
READ_ONLY = gettext_noop(
    "The plan is in “%(state)s”: its content cannot change now. It can again in draft, in "
    "revision and during steering."
)
NOT_REMOVABLE = gettext_noop("Items are removed only while the plan is in draft or in revision.")

# Each kind of item: the field that names its parent.
PARENT_FIELD = {
    Goal: "plan",
    ActionPlan: "goal",
    ExpectedResult: "action_plan",
    Action: "action_plan",
    Resource: "action_plan",
    Indicator: "expected_result",
}


def plan_of(item) -> Plan:
    """The plan an item belongs to (its parents are fetched as needed)."""
    while not isinstance(item, Plan):
        item = getattr(item, PARENT_FIELD[type(item)])
    return item


def action_plan_of(item) -> ActionPlan | None:
    """The action plan an item is part of: what a promotor's personal grant is on."""
    while not isinstance(item, ActionPlan):
        if isinstance(item, Plan | Goal):
            return None
        item = getattr(item, PARENT_FIELD[type(item)])
    return item


def check_editable(plan: Plan) -> None:
    if plan.state not in EDITABLE:
        raise ValidationError(_(READ_ONLY) % {"state": plan.get_state_display()}, code="read_only")


def _locked_plan(item) -> Plan:
    """Lock the plan row (every content write is serialised per plan) and check its state."""
    plan = plan_of(item)
    lock_row(plan)
    plan.refresh_from_db(fields=["state"])
    check_editable(plan)
    return plan


def _siblings(item):
    parent_field = PARENT_FIELD[type(item)]
    siblings = type(item).objects.filter(
        **{parent_field: getattr(item, f"{parent_field}_id")}, archived_at__isnull=True
    )
    if isinstance(item, Goal):
        siblings = siblings.filter(parent_id=item.parent_id)
    return siblings


# --- The plan ----------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, municipality: Municipality, by, **fields) -> Plan:
    plan = Plan(municipality=municipality, state=PlanState.DRAFT, **fields)
    return _save(plan, by, gettext_noop("Plan created"))


@transaction.atomic
def plan_update(*, plan: Plan, by, version: int | None = None, **fields) -> Plan:
    lock_row(plan)
    plan.refresh_from_db(fields=["state"])
    check_editable(plan)
    check_version(plan, version)
    for name, value in fields.items():
        setattr(plan, name, value)
    return _save(plan, by, gettext_noop("Plan changed"))


# --- Items: goals, action plans, results, actions, resources, indicators ----------------------


@transaction.atomic
def item_add(*, item, by, **relations):
    """Add ``item`` (unsaved, its parent set) at the end of its siblings. ``relations``:
    ``phenomena`` for a goal, ``partners`` for an action plan."""
    plan = _locked_plan(item)
    _check_same_municipality(item, plan)
    last = _siblings(item).aggregate(last=Max("order"))["last"]
    item.order = 0 if last is None else last + 1
    _save(item, by, gettext_noop("Added"))
    _set_relations(item, plan, by, relations)
    if isinstance(item, ActionPlan):
        _grant_promotor(item, None)
    return item


@transaction.atomic
def item_update(*, item, by, version: int | None = None, **changes):
    """Change fields (and ``phenomena`` / ``partners``) of an item, refused when someone saved
    it after ``version``."""
    plan = _locked_plan(item)
    lock_row(item)
    check_version(item, version)
    relations = {k: changes.pop(k) for k in ("phenomena", "partners") if k in changes}
    former_promotor_id = (
        type(item).objects.values_list("promotor_id", flat=True).get(pk=item.pk)
        if isinstance(item, ActionPlan)
        else None
    )
    for name, value in changes.items():
        setattr(item, name, value)
    _check_same_municipality(item, plan)
    _save(item, by, gettext_noop("Changed"))
    _set_relations(item, plan, by, relations)
    if isinstance(item, ActionPlan):
        _grant_promotor(item, former_promotor_id)
    return item


@transaction.atomic
def item_move(*, item, direction: int, by):
    """Swap the item with its neighbour before (-1) or after (+1)."""
    _locked_plan(item)
    ordered = list(_siblings(item).order_by("order", "pk"))
    index = next((i for i, sibling in enumerate(ordered) if sibling.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("An archived item is not moved."), code="archived")
    other = index + direction
    if not 0 <= other < len(ordered):
        return item
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.order != position:
            sibling.order = position
            _save(sibling, by, gettext_noop("Moved"))
    return item


@transaction.atomic
def item_remove(*, item, by) -> None:
    """In draft: deleted (with history). In revision: archived, so it stays in history and in
    the diff against the adopted version. Otherwise refused. What hangs under the item goes
    with it."""
    plan = _locked_plan(item)
    if plan.state == PlanState.DRAFT:
        for child in reversed(_descendants(item)):
            links = []  # the through rows go with their item, each in history
            if isinstance(child, Goal):
                links = list(child.goal_phenomena.all())
            elif isinstance(child, ActionPlan):
                links = list(child.partners.all())
            for link in [*links, child]:
                record_actor(link, by, gettext_noop("Removed"))
                link.delete()
        return
    if plan.state != PlanState.REVISION:
        raise ValidationError(_(NOT_REMOVABLE), code="not_removable")
    now = timezone.now()
    for child in _descendants(item):
        if child.archived_at is None:
            child.archived_at = now
            _save(child, by, gettext_noop("Archived"))


def _descendants(item) -> list:
    """The item and everything under it, parents first."""
    found = [item]
    if isinstance(item, Goal):
        for child in item.operational_goals.all():
            found += _descendants(child)
        for action_plan in item.action_plans.all():
            found += _descendants(action_plan)
    elif isinstance(item, ActionPlan):
        for result in item.expected_results.all():
            found += _descendants(result)
        found += list(item.actions.all()) + list(item.resources.all())
    elif isinstance(item, ExpectedResult):
        found += list(item.indicators.all())
    return found


# --- Relations and checks ----------------------------------------------------------------------


def _check_same_municipality(item, plan: Plan) -> None:
    """Actors, working groups and parent goals of this plan's municipality only."""
    errors = {}
    if isinstance(item, Goal) and item.parent_id is not None:
        parent = item.parent
        if parent.plan_id != plan.pk or parent.parent_id is not None:
            errors["parent"] = _("Choose a strategic goal of this plan.")
        elif item.pk and item.operational_goals.filter(archived_at__isnull=True).exists():
            # Two levels only (strategic → operational), as the Belgian plans have.
            errors["parent"] = _(
                "This goal has operational goals of its own: it stays a strategic goal."
            )
    if isinstance(item, ActionPlan):
        if item.goal.plan_id != plan.pk:
            errors["goal"] = _("Choose a goal of this plan.")
        if item.promotor_id and item.promotor.municipality_id != plan.municipality_id:
            errors["promotor"] = _("Choose an actor of this municipality.")
        if item.working_group_id and item.working_group.municipality_id != plan.municipality_id:
            errors["working_group"] = _("Choose a working group of this municipality.")
    if errors:
        raise ValidationError(errors)


def _set_relations(item, plan: Plan, by, relations) -> None:
    if "phenomena" in relations:
        _set_links(
            item.goal_phenomena.all(),
            "phenomenon",
            relations["phenomena"],
            lambda phenomenon: GoalPhenomenon(goal=item, phenomenon=phenomenon),
            by,
            allowed=lambda p: p.municipality_id in (None, plan.municipality_id),
            field="phenomena",
            message=_("Choose phenomena of the catalogue or of this municipality."),
        )
    if "partners" in relations:
        _set_links(
            item.partners.all(),
            "actor",
            relations["partners"],
            lambda actor: ActionPlanPartner(action_plan=item, actor=actor),
            by,
            allowed=lambda a: a.municipality_id == plan.municipality_id,
            field="partners",
            message=_("Choose actors of this municipality."),
        )


def _set_links(current, field_name, wanted, make, by, *, allowed, field, message) -> None:
    """Make the links in ``current`` (a through model's rows) be exactly ``wanted``, each
    addition and removal in history."""
    wanted = list(wanted or [])
    if not all(allowed(obj) for obj in wanted):
        raise ValidationError({field: message})
    wanted_ids = {obj.pk for obj in wanted}
    existing = {getattr(link, f"{field_name}_id"): link for link in current}
    for pk, link in existing.items():
        if pk not in wanted_ids:
            record_actor(link, by, gettext_noop("Removed"))
            link.delete()
    for obj in wanted:
        if obj.pk not in existing:
            _save(make(obj), by, gettext_noop("Added"))


def _grant_promotor(action_plan: ActionPlan, former_promotor_id: int | None) -> None:
    """The promotor's linked account may edit this action plan (a personal grant); a former
    promotor's grant goes."""
    if former_promotor_id == action_plan.promotor_id and former_promotor_id is not None:
        return
    if former_promotor_id:
        former = Actor.objects.filter(pk=former_promotor_id).select_related("user").first()
        if former is not None and former.user_id:
            revoke_personal(user=former.user, perm="plans.change_actionplan", obj=action_plan)
    promotor = action_plan.promotor
    if promotor is not None and promotor.user_id:
        grant_personal(user=promotor.user, perm="plans.change_actionplan", obj=action_plan)


def promotor_account_changed(*, actor: Actor, former_user_id: int | None) -> None:
    """The promotor's account link changed: the grants on their action plans move with it
    (registered in ``actors.services.ACCOUNT_LINK_CHANGED``)."""
    former = User.objects.filter(pk=former_user_id).first() if former_user_id else None
    for action_plan in ActionPlan.objects.filter(promotor=actor):
        if former is not None:
            revoke_personal(user=former, perm="plans.change_actionplan", obj=action_plan)
        if actor.user_id:
            grant_personal(user=actor.user, perm="plans.change_actionplan", obj=action_plan)


def phenomena_for(municipality: Municipality):
    """The catalogue's phenomena and this municipality's own."""
    return Phenomenon.objects.filter(Q(municipality=None) | Q(municipality=municipality))


def working_groups_for(municipality: Municipality):
    return WorkingGroup.objects.filter(municipality=municipality, active=True)


@transaction.atomic
def phenomenon_add(*, municipality: Municipality, name_nl: str, by, name_fr="", name_en=""):
    """A phenomenon of this municipality's own, beside the framework note's clusters."""
    code = slugify(name_nl)[:60] or "phenomenon"
    if Phenomenon.objects.filter(municipality=municipality, code=code).exists():
        raise ValidationError({"name_nl": _("The municipality has this phenomenon already.")})
    phenomenon = Phenomenon(
        municipality=municipality,
        code=code,
        name_nl=name_nl.strip(),
        name_fr=name_fr.strip(),
        name_en=name_en.strip(),
        order=500,
    )
    return _save(phenomenon, by, gettext_noop("Phenomenon added"))
