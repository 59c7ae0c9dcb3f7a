"""Reads of the safety network that depend on who is looking. Each returns a fixed number of
queries, whatever the number of actors."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.permissions import visible

from .constants import OrgFunction, OrgLevel
from .models import Actor, ActorKind, OrgUnit, RoleAssignment, SuggestionDismissal, SuggestionRule

SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    # A kind's order puts the domain text's core kinds (10–60) before the contributing ones.
    "kind": ("kind__order", "kind__name_nl", "name"),
    "-kind": ("-kind__order", "-kind__name_nl", "name"),
}


def current_roles(day: datetime.date | None = None) -> Prefetch:
    """The roles held on ``day`` (today), prefetched as ``actor.current_roles``."""
    day = day or timezone.localdate()
    held = RoleAssignment.objects.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)
    return Prefetch("role_assignments", queryset=held.order_by("role"), to_attr="current_roles")


def actor_list(
    *,
    user,
    municipality,
    query: str = "",
    category: str = "",
    kind: ActorKind | None = None,
    role: str = "",
    active: bool | None = True,
    sort: str = "name",
) -> QuerySet[Actor]:
    actors = visible(user, "actors.view_actor", Actor.objects.filter(municipality=municipality))
    if query:
        actors = actors.filter(
            Q(name__icontains=query)
            | Q(function_title__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    if category:
        actors = actors.filter(kind__category=category)
    if kind is not None:
        actors = actors.filter(kind=kind)
    if role:
        today = timezone.localdate()
        actors = actors.filter(
            pk__in=RoleAssignment.objects.filter(
                Q(end__isnull=True) | Q(end__gte=today), role=role, start__lte=today
            ).values("actor_id")
        )
    if active is not None:
        actors = actors.filter(active=active)
    return (
        actors.select_related("kind", "organisation")
        .prefetch_related(current_roles())
        .order_by(*SORTS.get(sort, SORTS["name"]), "pk")
    )


def kinds_for(municipality) -> QuerySet[ActorKind]:
    """The domain text's kinds and the municipality's own."""
    return ActorKind.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality))


def who_held(*, municipality, role: str, day: datetime.date) -> QuerySet[RoleAssignment]:
    """Who held ``role`` on ``day``: the answer history gives, as roles are never overwritten."""
    return (
        RoleAssignment.objects.filter(actor__municipality=municipality, role=role, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("actor")
        .order_by("actor__name")
    )


# --- Network gaps ------------------------------------------------------------------------------


@dataclass
class KindCoverage:
    kind: ActorKind
    active_actors: int

    @property
    def covered(self) -> bool:
        return self.active_actors > 0


def coverage(municipality) -> list[KindCoverage]:
    """Per kind of actor: how many active actors of this municipality the network has."""
    kinds = kinds_for(municipality).annotate(
        active_actors=Count(
            "actors", filter=Q(actors__municipality=municipality, actors__active=True)
        )
    )
    return [KindCoverage(kind, kind.active_actors) for kind in kinds.order_by("category", "order")]


def open_suggestions(municipality) -> list[SuggestionRule]:
    """The suggestions the profile's infrastructures give, less those dismissed and those an
    actor was added for."""
    dismissed = SuggestionDismissal.objects.filter(municipality=municipality).values("rule_id")
    added = Actor.objects.filter(  # an actor added for it, while active
        municipality=municipality, source_suggestion__isnull=False, active=True
    ).values("source_suggestion_id")
    return list(
        SuggestionRule.objects.filter(infrastructure__in=municipality.infrastructures or [])
        .exclude(pk__in=dismissed)
        .exclude(pk__in=added)
        .select_related("kind")
        .order_by("infrastructure", "name_nl")
    )


# --- The coordinator's placement, computed from the organogram --------------------------------


@dataclass
class PlacementCheck:
    label: str
    met: bool
    explanation: str


def placement_checks(units: list[OrgUnit]) -> list[PlacementCheck]:
    """The domain text's recommendations for the coordinator's place, checked on the organogram:
    never ticked by hand. Empty when the organogram has no coordinator unit."""
    by_function = {}
    for unit in units:
        by_function.setdefault(unit.function, unit)
    coordinator = by_function.get(OrgFunction.COORDINATOR)
    if coordinator is None:
        return []
    secretary = by_function.get(OrgFunction.SECRETARY)
    mayor = by_function.get(OrgFunction.MAYOR)
    under_secretary = secretary is not None and coordinator.parent_id == secretary.pk
    to_mayor = mayor is not None and (
        coordinator.parent_id == mayor.pk
        or coordinator.direct_line_to_id == mayor.pk
        or mayor.direct_line_to_id == coordinator.pk
    )
    return [
        PlacementCheck(
            str(_("High in the organogram")),
            under_secretary,
            str(
                _(
                    "Just under the town secretary, or as a staff function beside them: a "
                    "position that gives a mandate and direct contact with the heads of department."
                )
            ),
        ),
        PlacementCheck(
            str(_("A direct line to the mayor")),
            to_mayor,
            str(
                _(
                    "So the coordinator has political impact and can report obstacles to the "
                    "mayor at once."
                )
            ),
        ),
        PlacementCheck(
            str(_("The link between the strategic and the operational level")),
            coordinator.level == OrgLevel.LINKING,
            str(
                _(
                    "The coordinator links the mayor and the core group to the project leaders "
                    "and working groups."
                )
            ),
        ),
    ]
