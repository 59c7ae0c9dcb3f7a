"""Reads of the kerngroep: a fixed number of queries whatever the number of seats."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from .constants import SeatState
from .models import Seat, SeatHolding


@dataclass
class SeatRow:
    seat: Seat
    holding: SeatHolding | None

    @property
    def state(self) -> str:
        if self.holding is not None:
            return SeatState.HELD
        return SeatState.NOT_PRESENT if self.seat.not_present else SeatState.VACANT

    @property
    def holder_inactive(self) -> bool:
        return self.holding is not None and not self.holding.actor.active


@dataclass
class Composition:
    rows: list[SeatRow] = field(default_factory=list)

    @property
    def vacant(self) -> list[SeatRow]:
        return [row for row in self.rows if row.state == SeatState.VACANT]

    @property
    def inactive_holders(self) -> list[SeatRow]:
        return [row for row in self.rows if row.holder_inactive]

    @property
    def complete(self) -> bool:
        return not self.vacant and not self.inactive_holders


def composition(core_group, day: datetime.date | None = None) -> Composition:
    """Each seat with its holder on ``day`` (today)."""
    day = day or timezone.localdate()
    held = SeatHolding.objects.filter(
        Q(end__isnull=True) | Q(end__gte=day), start__lte=day
    ).select_related("actor__kind")
    seats = core_group.seats.prefetch_related(
        Prefetch("holdings", queryset=held, to_attr="held_on_day")
    )
    return Composition([SeatRow(seat, next(iter(seat.held_on_day), None)) for seat in seats])
