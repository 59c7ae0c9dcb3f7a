"""Domain actions on the kerngroep's composition. Keyword-only, one transaction each, the acting
user credited in history; reasons stored as English source text."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.models import Actor
from safetynet.history import record_actor
from safetynet.models import Municipality

from .constants import DOMAIN_SEATS, SeatFunction
from .models import CoreGroup, Seat, SeatHolding

DEFAULT_NAME = gettext_noop("Core group for integral security")


def _save(instance, by, reason):
    instance.full_clean()
    record_actor(instance, by, reason)
    instance.save()
    return instance


@transaction.atomic
def core_group_ensure(*, municipality: Municipality, by) -> CoreGroup:
    """The municipality's kerngroep with the domain text's ten seats (made once)."""
    core_group = CoreGroup.objects.filter(municipality=municipality).first()
    if core_group is None:
        with translation.override((municipality.languages or ["nl"])[0]):
            name = _(DEFAULT_NAME)  # in the municipality's language, whoever sets it up
        core_group = _save(
            CoreGroup(municipality=municipality, name=name), by, gettext_noop("Core group set up")
        )
    present = set(core_group.seats.values_list("function", flat=True))
    for order, function in enumerate(DOMAIN_SEATS, start=1):
        if function not in present:
            _save(
                Seat(core_group=core_group, function=function, order=order),
                by,
                gettext_noop("Seat of the domain text"),
            )
    return core_group


@transaction.atomic
def seat_add(*, core_group: CoreGroup, title: str, by) -> Seat:
    """A seat the municipality adds beside the domain text's ten."""
    return _save(
        Seat(core_group=core_group, function=SeatFunction.OTHER, title=title.strip(), order=200),
        by,
        gettext_noop("Seat added"),
    )


@transaction.atomic
def seat_set_holder(*, seat: Seat, actor: Actor, start: datetime.date, by) -> SeatHolding:
    """``actor`` holds the seat from ``start``; the current holder's holding ends the day
    before. Holders are dated, never overwritten."""
    Seat.objects.select_for_update().filter(pk=seat.pk).values_list("pk").get()
    if actor.municipality_id != seat.core_group.municipality_id:
        raise ValidationError({"actor": _("Choose an actor of this municipality.")})
    if not actor.active:
        raise ValidationError({"actor": _("An inactive actor cannot hold a seat.")})
    current = seat.holdings.filter(end__isnull=True).first()
    if current is not None:
        if current.start >= start:
            raise ValidationError(
                {
                    "start": _("The current holder holds the seat from %(start)s: start later.")
                    % {"start": current.start.strftime("%d/%m/%Y")}
                }
            )
        current.end = start - datetime.timedelta(days=1)
        _save(current, by, gettext_noop("Seat handed over"))
    if seat.not_present:
        seat.not_present = False
        _save(seat, by, gettext_noop("Seat filled"))
    return _save(SeatHolding(seat=seat, actor=actor, start=start), by, gettext_noop("Holder named"))


@transaction.atomic
def seat_vacate(*, seat: Seat, end: datetime.date, by) -> None:
    """The current holder leaves the seat on ``end``; the seat is vacant after."""
    current = seat.holdings.filter(end__isnull=True).first()
    if current is None:
        return
    if end < current.start:
        raise ValidationError({"end": _("The holding cannot end before it starts.")})
    current.end = end
    _save(current, by, gettext_noop("Seat vacated"))


@transaction.atomic
def seat_set_not_present(*, seat: Seat, not_present: bool, end: datetime.date, by) -> Seat:
    """Mark a function as not present in this municipality (its holder, if any, leaves on
    ``end``), or as present again."""
    if not_present:
        seat_vacate(seat=seat, end=end, by=by)
    if seat.not_present != not_present:
        seat.not_present = not_present
        reason = (
            gettext_noop("Marked not present in this municipality")
            if not_present
            else gettext_noop("Marked present again")
        )
        _save(seat, by, reason)
    return seat


# --- Meetings, attendance, decisions and follow-up tasks --------------------------------------


# --- Working groups ----------------------------------------------------------------------------
