"""The version of what the kerngroep page shows (``safetynet.versions``): it changes whenever
the composition changes — the kerngroep, its seats, their holdings, or an actor of the
municipality (a holder's name, whether it is active). One query."""

from actors.models import Actor
from safetynet.versions import newest, run_once_compiled

from .models import CoreGroup, Seat, SeatHolding


def _version_query(municipality_id: int):
    core_groups = CoreGroup.objects.filter(municipality_id=municipality_id).values("pk")
    seats = Seat.objects.filter(core_group__municipality_id=municipality_id).values("pk")
    newest_of = {
        "v_core_group": newest(
            CoreGroup.history.filter(municipality_id=municipality_id), "municipality_id"
        ),
        "v_seats": newest(Seat.history.filter(core_group_id__in=core_groups)),
        "v_holdings": newest(SeatHolding.history.filter(seat_id__in=seats)),
        "v_actors": newest(
            Actor.history.filter(municipality_id=municipality_id), "municipality_id"
        ),
    }
    return (
        CoreGroup.objects.filter(municipality_id=municipality_id)
        .annotate(**newest_of)
        .values_list(*newest_of)
        .order_by()[:1]
    )


def composition_version(municipality) -> str:
    """The version of the municipality's kerngroep composition ("" before it is set up)."""
    return run_once_compiled("kerngroep", CoreGroup, _version_query, municipality.pk)
