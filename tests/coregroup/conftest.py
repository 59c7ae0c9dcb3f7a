"""The kerngroep of the Lindenberg test municipality, as most kerngroep tests start."""

import pytest

from coregroup.constants import SeatFunction
from coregroup.services import core_group_ensure


@pytest.fixture
def core_group(lindenberg, coordinator):
    return core_group_ensure(municipality=lindenberg, by=coordinator)


@pytest.fixture
def mayor_seat(core_group):
    return core_group.seats.get(function=SeatFunction.MAYOR)
