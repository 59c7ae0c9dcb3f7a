"""Lindenberg's demo kerngroep: nine seats held, one not present in the municipality."""

import datetime

from django.db import transaction

from actors.models import Actor

from .constants import SeatFunction
from .models import CoreGroup
from .services import core_group_ensure, seat_set_holder, seat_set_not_present

START = datetime.date(2023, 1, 15)
HOLDERS = {
    SeatFunction.MAYOR: "Marleen Peeters",
    SeatFunction.PROSECUTOR: "Dirk Van den Broeck",
    SeatFunction.POLICE_CHIEF: "Ingrid Wouters",
    SeatFunction.ALDERMAN_WELFARE: "Sofie Maes",
    SeatFunction.ALDERMAN_SECURITY: "Luc Janssens",
    SeatFunction.ALDERMAN_PUBLIC_WORKS: "Bart Jacobs",
    SeatFunction.ALDERMAN_MOBILITY: "Nadia El Amrani",
    SeatFunction.COORDINATOR: "Koen Claes",
    SeatFunction.PREVENTION_OFFICER: "Els Mertens",
}


@transaction.atomic
def seed(municipalities, stdout=None):
    lindenberg = municipalities.get("lindenberg")
    if lindenberg is None or CoreGroup.objects.filter(municipality=lindenberg).exists():
        return
    core_group = core_group_ensure(municipality=lindenberg, by=None)
    actors = {a.name: a for a in Actor.objects.filter(municipality=lindenberg)}
    for seat in core_group.seats.all():
        if seat.function == SeatFunction.COMPLAINTS_OFFICER:
            seat_set_not_present(seat=seat, not_present=True, end=START, by=None)
        elif seat.function in HOLDERS and HOLDERS[seat.function] in actors:
            seat_set_holder(seat=seat, actor=actors[HOLDERS[seat.function]], start=START, by=None)
    if stdout:
        stdout.write("Lindenberg: core group with nine seats held, one not present.")
