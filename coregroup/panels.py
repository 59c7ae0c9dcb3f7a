"""The kerngroep's block on the dashboard: follow-up tasks that need the person looking."""

import datetime

from django.db.models import Count
from django.utils import timezone

from safetynet.models import Municipality
from safetynet.permissions import access_for

from .models import FollowUpTask
from .selectors import CLOSED_STATUSES, mark_overdue, overdue

SOON = datetime.timedelta(days=14)
SHOWN = 10


def follow_up(request) -> dict | None:
    """My open tasks due within two weeks or overdue (as the assignee's linked account), and,
    where I manage follow-up, how many tasks are overdue per municipality. Two queries."""
    user, today = request.user, timezone.localdate()
    access = access_for(user)
    mine = list(
        FollowUpTask.objects.filter(assignee__user=user, due__lte=today + SOON)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("decision__meeting__municipality")
        .order_by("due", "pk")[:SHOWN]
    )
    for task in mark_overdue(mine, today):
        meeting = task.decision.meeting
        task.may_open = access.has_perm("coregroup.view_meeting", meeting.municipality)
    managed = access.municipality_ids("coregroup.change_followuptask")
    counts = (
        overdue(FollowUpTask.objects.filter(decision__meeting__municipality__in=managed), today)
        .values("decision__meeting__municipality")
        .annotate(n=Count("pk"))
        .order_by()
        if managed
        else []
    )
    counts = {row["decision__meeting__municipality"]: row["n"] for row in counts}
    # The municipalities came with the user's memberships (a query only for one that did not).
    places = [access.municipalities[pk] for pk in counts if pk in access.municipalities]
    if len(places) < len(counts):
        places = list(Municipality.objects.filter(pk__in=counts))
    places.sort(key=lambda place: (place.name, place.pk))
    late = [(place, counts[place.pk]) for place in places]
    if not mine and not late:
        return None
    return {"tasks": mine, "late": late}
