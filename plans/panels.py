"""The plans app's block on the dashboard: votes waiting for me."""

from django.db.models import Exists, OuterRef

from plans.constants import RoundStatus
from plans.models import Vote, VoteRound


def votes_waiting(request) -> dict | None:
    """Open rounds in which I am an elector, and whether I voted yet. One query."""
    user = request.user
    rounds = list(
        VoteRound.objects.filter(status=RoundStatus.OPEN, electors__user=user)
        .annotate(voted=Exists(Vote.objects.filter(vote_round=OuterRef("pk"), member=user)))
        .select_related("plan__municipality")
        .order_by("deadline", "pk")
    )
    if not rounds:
        return None
    return {"rounds": rounds}
