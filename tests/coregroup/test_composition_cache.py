"""The kerngroep page's seats are rendered once per version of the composition
(``coregroup.versions``), day, language and right to manage the seats, then served from the
cache: never stale after a holder, a seat or an actor changes, never one session's CSRF token
in another's page, and fewer queries once cached."""

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from actors.services import actor_set_active, actor_update
from coregroup.services import core_group_ensure, seat_set_holder
from coregroup.versions import _version_query, composition_version
from safetynet.constants import Role
from tests.budget_support import without_tokens
from tests.coregroup.test_composition import person

pytestmark = pytest.mark.django_db

D = datetime.date
PAGE = reverse("coregroup:composition", kwargs={"municipality": "lindenberg"})
CSRF = re.compile(
    r'<form id="seat-state-form" method="post" hidden><input type="hidden" '
    r'name="csrfmiddlewaretoken" value="([^"]+)">'
)


def get(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_the_cached_seats_cost_no_seat_query_and_read_the_same(client, coordinator, core_group):
    client.force_login(coordinator)
    first = get(client)
    with CaptureQueriesContext(connection) as cached:
        again = get(client)
    # REQUEST (4) + the kerngroep, the composition's version: no seat, no holding.
    read = [query["sql"] for query in cached.captured_queries]
    assert len(read) <= 6, read
    assert not any(sql.startswith('SELECT "coregroup_seat"."id"') for sql in read)
    assert without_tokens(again) == without_tokens(first)


def test_a_new_holder_a_renamed_or_inactive_actor_shows_at_once(
    client, coordinator, core_group, mayor_seat, lindenberg
):
    client.force_login(coordinator)
    assert "Griet Claes" not in get(client)

    mayor = person(lindenberg, "Griet Claes", by=coordinator)
    seat_set_holder(seat=mayor_seat, actor=mayor, start=D(2024, 1, 1), by=coordinator)
    assert "Griet Claes" in get(client)

    actor_update(actor=mayor, by=coordinator, name="Griet Claes-Peeters")
    assert "Griet Claes-Peeters" in get(client)

    before = composition_version(lindenberg)
    actor_set_active(actor=mayor, active=False, by=coordinator, reason="Vertrokken")
    assert composition_version(lindenberg) != before
    assert 'class="tag warning">inactief' in get(client).replace("\n", "")


def test_a_reader_who_may_not_manage_the_seats_never_gets_the_managers_buttons(
    client, coordinator, viewer, core_group
):
    client.force_login(coordinator)
    assert 'form="seat-state-form"' in get(client)  # fills the cache for managers
    client.force_login(viewer)
    html = get(client)
    assert 'form="seat-state-form"' not in html
    assert 'id="seat-state-form"' not in html
    assert "De burgemeester of de afgevaardigde" in html


def test_a_second_coordinator_changes_a_seat_through_the_cached_buttons(
    coordinator, make_member, core_group, mayor_seat
):
    """The cached buttons carry no token: they submit the page's own form, with the token of
    the session that reads the page."""
    second = make_member(Role.COORDINATOR, username="coordinator2")
    first_client, second_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_client.force_login(coordinator)
    second_client.force_login(second)
    get(first_client)  # fills the cache
    html = get(second_client)
    token = CSRF.search(html).group(1)
    state = reverse(
        "coregroup:seat-state", kwargs={"municipality": "lindenberg", "pk": mayor_seat.pk}
    )
    assert f'form="seat-state-form" formaction="{state}" name="action" value="not_present"' in html
    response = second_client.post(state, {"csrfmiddlewaretoken": token, "action": "not_present"})
    assert response.status_code == 302
    mayor_seat.refresh_from_db()
    assert mayor_seat.not_present
    assert f'formaction="{state}" name="action" value="present"' in get(second_client)
    # Without the page's token the same post is refused.
    assert second_client.post(state, {"action": "present"}).status_code == 403


def test_the_cached_seats_are_per_language(client, coordinator, core_group, settings):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "De burgemeester of de afgevaardigde" in get(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Le bourgmestre ou son délégué" in get(client)


def test_the_version_compiled_once_reads_what_the_orm_query_reads(
    lindenberg, heidebeek, coordinator, core_group, mayor_seat
):
    """The query is compiled once per process with stand-in ids (``safetynet.versions``)."""
    seat_set_holder(
        seat=mayor_seat,
        actor=person(lindenberg, "Griet Claes"),
        start=D(2024, 1, 1),
        by=coordinator,
    )
    core_group_ensure(municipality=heidebeek, by=coordinator)
    for municipality in (lindenberg, heidebeek, lindenberg):
        row = _version_query(municipality.pk)[0]
        assert composition_version(municipality) == "-".join(str(number) for number in row)
    assert all(_version_query(lindenberg.pk)[0])  # a kerngroep, seats, a holding, an actor
    assert composition_version(lindenberg) != composition_version(heidebeek)
