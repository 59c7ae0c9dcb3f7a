"""The kerngroep's composition: ten seats, dated holders, not-present functions, permissions."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind
from actors.services import actor_create, actor_set_active
from coregroup.constants import DOMAIN_SEATS, SeatFunction, SeatState
from coregroup.models import Seat, SeatHolding
from coregroup.selectors import composition
from coregroup.services import (
    core_group_ensure,
    seat_add,
    seat_set_holder,
    seat_set_not_present,
    seat_vacate,
)
from safetynet.constants import Role
from tests.budget_support import count_of

D = datetime.date


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality, **kwargs})


def person(municipality, name, by=None):
    return actor_create(
        municipality=municipality,
        by=by,
        form=ActorForm.PERSON,
        name=name,
        kind=ActorKind.objects.get(municipality=None, code="municipal_government"),
    )


def test_the_core_group_has_the_ten_seats_of_the_domain_text(core_group, lindenberg, coordinator):
    assert list(core_group.seats.values_list("function", flat=True)) == [
        str(f) for f in DOMAIN_SEATS
    ]
    assert len(DOMAIN_SEATS) == 10
    core_group_ensure(municipality=lindenberg, by=coordinator)  # idempotent
    assert core_group.seats.count() == 10
    assert core_group.history.get().history_user == coordinator


def test_a_new_holder_ends_the_previous_holding_the_day_before(mayor_seat, lindenberg, coordinator):
    first = person(lindenberg, "Marleen Peeters")
    second = person(lindenberg, "Luc Janssens")
    seat_set_holder(seat=mayor_seat, actor=first, start=D(2023, 1, 1), by=coordinator)
    seat_set_holder(seat=mayor_seat, actor=second, start=D(2025, 1, 1), by=coordinator)

    holdings = list(mayor_seat.holdings.order_by("start"))
    assert [(h.actor, h.start, h.end) for h in holdings] == [
        (first, D(2023, 1, 1), D(2024, 12, 31)),
        (second, D(2025, 1, 1), None),
    ]
    assert all(h.history.latest().history_user == coordinator for h in holdings)
    assert composition(mayor_seat.core_group, D(2024, 6, 1)).rows[0].holding.actor == first
    assert composition(mayor_seat.core_group, D(2025, 6, 1)).rows[0].holding.actor == second
    with pytest.raises(ValidationError):  # not before the current holder's start
        seat_set_holder(seat=mayor_seat, actor=first, start=D(2024, 1, 1), by=coordinator)


def test_a_holder_cannot_be_backdated_into_an_ended_holding(mayor_seat, lindenberg, coordinator):
    first = person(lindenberg, "Marleen Peeters")
    seat_set_holder(seat=mayor_seat, actor=first, start=D(2023, 1, 1), by=coordinator)
    seat_vacate(seat=mayor_seat, end=D(2024, 12, 31), by=coordinator)
    with pytest.raises(ValidationError) as refused:
        seat_set_holder(
            seat=mayor_seat, actor=person(lindenberg, "Luc"), start=D(2024, 6, 1), by=coordinator
        )
    assert "31/12/2024" in refused.value.message_dict["start"][0]
    assert mayor_seat.holdings.count() == 1
    seat_set_holder(
        seat=mayor_seat, actor=person(lindenberg, "Els"), start=D(2025, 1, 1), by=coordinator
    )
    assert mayor_seat.holdings.count() == 2


def test_an_actor_of_another_municipality_or_inactive_cannot_hold_a_seat(
    mayor_seat, lindenberg, heidebeek, coordinator
):
    with pytest.raises(ValidationError):
        seat_set_holder(
            seat=mayor_seat, actor=person(heidebeek, "Hilde"), start=D(2024, 1, 1), by=coordinator
        )
    gone = person(lindenberg, "Oud-burgemeester")
    actor_set_active(actor=gone, active=False, by=coordinator)
    with pytest.raises(ValidationError):
        seat_set_holder(seat=mayor_seat, actor=gone, start=D(2024, 1, 1), by=coordinator)
    assert not SeatHolding.objects.exists()


def test_completeness_names_vacant_seats_and_inactive_holders(core_group, lindenberg, coordinator):
    seats = list(core_group.seats.all())
    holders = [person(lindenberg, f"Lid {i}") for i in range(len(seats))]
    for seat, holder in zip(seats[:8], holders, strict=False):
        seat_set_holder(seat=seat, actor=holder, start=D(2024, 1, 1), by=coordinator)
    seat_set_not_present(seat=seats[8], not_present=True, end=D(2024, 1, 1), by=coordinator)
    result = composition(core_group)
    assert [row.seat for row in result.vacant] == [seats[9]]
    assert [row.state for row in result.rows][8] == SeatState.NOT_PRESENT
    assert not result.complete

    seat_set_holder(seat=seats[9], actor=holders[9], start=D(2024, 1, 1), by=coordinator)
    holders[0].active = False  # deactivated elsewhere, e.g. by an import
    holders[0].save()
    result = composition(core_group)
    assert result.vacant == []
    assert [row.seat for row in result.inactive_holders] == [seats[0]]


def test_a_not_present_function_ends_its_holding(mayor_seat, lindenberg, coordinator):
    seat_set_holder(
        seat=mayor_seat, actor=person(lindenberg, "X"), start=D(2024, 1, 1), by=coordinator
    )
    seat_set_not_present(seat=mayor_seat, not_present=True, end=D(2024, 6, 30), by=coordinator)
    mayor_seat.refresh_from_db()
    assert mayor_seat.not_present
    assert mayor_seat.holdings.get().end == D(2024, 6, 30)
    seat_vacate(seat=mayor_seat, end=D(2024, 7, 1), by=coordinator)  # nothing left to vacate
    assert mayor_seat.holdings.count() == 1


def test_a_municipality_adds_a_seat(core_group, coordinator):
    seat = seat_add(core_group=core_group, title="Directeur van de jeugddienst", by=coordinator)
    assert seat.function == SeatFunction.OTHER
    with pytest.raises(ValidationError):
        seat_add(core_group=core_group, title="  ", by=coordinator)


# --- Pages -------------------------------------------------------------------------------------

ROLE_STATUS = {  # the composition is everyone's to read; the coordinator manages it
    Role.ADMIN: (200, 403),
    Role.COORDINATOR: (200, 302),
    Role.COLLEGE: (200, 403),
    Role.COUNCIL_SECRETARY: (200, 403),
    Role.CORE_GROUP: (200, 403),
    Role.PROMOTOR: (200, 403),
    Role.VIEWER: (200, 403),
}


@pytest.mark.django_db
def test_who_may_read_and_who_may_name_a_holder(client, role_users, core_group, lindenberg):
    assert set(ROLE_STATUS) == set(Role.values)
    seat = core_group.seats.first()
    holder = person(lindenberg, "Marleen")
    for role, (read, write) in ROLE_STATUS.items():
        client.force_login(role_users[role])
        assert client.get(url("composition")).status_code == read, role
        assert client.get(url("composition-print")).status_code == read, role
        pdf = client.get(url("composition-pdf"))
        assert pdf.status_code == read, role
        assert pdf["Content-Type"] == "application/pdf", role
        response = client.post(
            url("seat-holder", pk=seat.pk),
            {"actor": holder.pk, "start": "2024-02-01"},
        )
        assert response.status_code == write, role


@pytest.mark.django_db
def test_another_municipality_gets_404(client, other_coordinator, core_group, heidebeek):
    seat = core_group.seats.first()
    client.force_login(other_coordinator)
    for path in [
        url("composition"),
        url("composition-history"),
        url("composition-pdf"),
        url("seat-holder", pk=seat.pk),
    ]:
        assert client.get(path).status_code == 404, path
    # Lindenberg's seat under Heidebeek's address: 404 too, also for Heidebeek's coordinator.
    core_group_ensure(municipality=heidebeek, by=other_coordinator)
    assert client.get(url("seat-holder", municipality="heidebeek", pk=seat.pk)).status_code == 404
    for data in ({"action": "vacate"}, {}):  # also when the form is not valid
        response = client.post(url("seat-state", municipality="heidebeek", pk=seat.pk), data)
        assert response.status_code == 404, data


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client, core_group):
    for name in ("composition", "composition-pdf"):
        response = client.get(url(name))
        assert response.status_code == 302, name
        assert response.url.startswith("/accounts/login/"), name


@pytest.mark.django_db
def test_the_coordinator_names_a_holder_and_the_history_shows_it(
    client, coordinator, core_group, lindenberg
):
    seat = core_group.seats.get(function=SeatFunction.POLICE_CHIEF)
    chief = person(lindenberg, "Ingrid Wouters")
    client.force_login(coordinator)
    response = client.post(
        url("seat-holder", pk=seat.pk), {"actor": chief.pk, "start": "2024-03-01"}
    )
    assert response.status_code == 302
    assert seat.holdings.get().actor == chief
    page = client.get(url("composition-history")).content.decode()
    assert "Ingrid Wouters" in page
    assert str(coordinator) in page


@pytest.mark.django_db
def test_the_composition_costs_the_same_with_more_seats(
    client, coordinator, core_group, lindenberg
):
    client.force_login(coordinator)

    def count():  # rendered, not served from the cache (tests/coregroup/test_composition_cache)
        return count_of(client, url("composition"))

    few = count()
    for i, seat in enumerate(core_group.seats.all()):
        seat_set_holder(
            seat=seat, actor=person(lindenberg, f"Lid {i}"), start=D(2024, 1, 1), by=coordinator
        )
    for i in range(15):
        seat_add(core_group=core_group, title=f"Extra {i}", by=coordinator)
    assert Seat.objects.count() == 25
    assert count() == few


@pytest.mark.django_db
def test_the_network_picture_draws_the_core_group_and_its_members(
    client, coordinator, core_group, lindenberg
):
    member = person(lindenberg, "Marleen Peeters")
    seat_set_holder(
        seat=core_group.seats.first(), actor=member, start=D(2024, 1, 1), by=coordinator
    )
    client.force_login(coordinator)
    svg = client.get(reverse("actors:network-svg", kwargs={"municipality": "lindenberg"}))
    text = svg.content.decode()
    assert core_group.name in text
    page = client.get(reverse("actors:network", kwargs={"municipality": "lindenberg"}))
    network = page.context["network"]
    structures = {s.structure.label: [n.name for n in s.actors] for s in network.structures}
    assert structures[core_group.name] == ["Marleen Peeters"]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_seat_is_named_by_its_title_or_its_functions_label_in_the_language(language):
    with translation.override(language):
        for function in SeatFunction.values:
            seat = Seat(function=function)
            assert str(seat) == seat.get_function_display()
        assert str(Seat(function=SeatFunction.OTHER, title="Brandweer")) == "Brandweer"
