"""Reads of the plans app, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from actors.constants import RoleType
from actors.models import Actor
from coregroup.models import FollowUpTask, WorkingGroup
from coregroup.selectors import CLOSED_STATUSES, mark_overdue


@dataclass
class PromotorRow:
    """One promotor on the follow-up board: what they lead and what they owe."""

    actor: Actor
    working_groups: list = field(default_factory=list)
    tasks: list = field(default_factory=list)

    @property
    def overdue(self) -> list:
        return [task for task in self.tasks if task.is_overdue]


def promotors(municipality, day: datetime.date | None = None):
    """The municipality's promotors on ``day``: actors holding the promotor role then, or
    leading an active working group."""
    day = day or timezone.localdate()
    holds_role = Q(role_assignments__role=RoleType.PROMOTOR, role_assignments__start__lte=day) & (
        Q(role_assignments__end__isnull=True) | Q(role_assignments__end__gte=day)
    )
    leads = Q(led_working_groups__active=True)
    ids = Actor.objects.filter(holds_role | leads, municipality=municipality).values("pk")
    return Actor.objects.filter(pk__in=ids).order_by("name", "pk")


def follow_up_board(actors, day: datetime.date | None = None) -> list[PromotorRow]:
    """Per promotor (``actors``: one page of :func:`promotors`), the working groups they lead
    and their open follow-up tasks, overdue marked. Three queries whatever the numbers."""
    day = day or timezone.localdate()
    groups = WorkingGroup.objects.filter(active=True).order_by("name")
    tasks = (
        FollowUpTask.objects.exclude(status__in=CLOSED_STATUSES)
        .select_related("decision__meeting__core_group", "decision__meeting__working_group")
        .order_by("due", "pk")
    )
    actors = actors.prefetch_related(
        Prefetch("led_working_groups", queryset=groups, to_attr="led"),
        Prefetch("follow_up_tasks", queryset=tasks, to_attr="open_tasks"),
    )
    return [PromotorRow(actor, actor.led, mark_overdue(actor.open_tasks, day)) for actor in actors]
