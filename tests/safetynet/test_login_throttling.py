"""Login throttling (django-axes) and the client's address (SECURITY.md, "Logging in").

After ``AXES_FAILURE_LIMIT`` failed logins for one username from one address, that pair is
locked out for ``AXES_COOLOFF_TIME``; the lockout page is the same whether the username exists;
behind a reverse proxy the address is the one the proxy saw, not one the client wrote."""

import re

from django.test import RequestFactory
from django.urls import reverse

import pytest

from safetynet.models import SecurityEvent
from safetynet.security import client_address_of
from tests.auth_support import login_form

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def attempt(client, username, password="wrong", **extra):  # noqa: S107
    return client.post(reverse("login"), login_form(username, password), **extra)


def without_csrf_token(response):
    """The page without its CSRF token (masked anew at every rendering)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def is_logged_in(client):
    return client.get("/").wsgi_request.user.is_authenticated


def test_a_failed_login_says_nothing_about_the_username(client, coordinator):
    known = attempt(client, "coordinator")
    unknown = attempt(client, "nobody-by-this-name")

    assert known.status_code == unknown.status_code == 200
    assert known.context["wizard"]["form"].non_field_errors() == (
        unknown.context["wizard"]["form"].non_field_errors()
    )


def test_failed_logins_lock_the_username_from_that_address_out(client, coordinator):
    for _ in range(LIMIT - 1):
        assert attempt(client, "coordinator").status_code == 200

    locked = attempt(client, "coordinator")
    assert locked.status_code == 429
    assert "coordinator" not in locked.content.decode()

    # Even the right password waits now.
    assert attempt(client, "coordinator", "demo").status_code == 429
    assert not is_logged_in(client)

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert failed.count() >= LIMIT
    assert set(failed.values_list("username", "address")) == {("coordinator", "127.0.0.1")}
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOCKOUT, username="coordinator", address="127.0.0.1"
    ).exists()


def test_the_lockout_page_is_the_same_for_an_unknown_username(client, coordinator):
    for _ in range(LIMIT):
        attempt(client, "coordinator")
    for _ in range(LIMIT):
        attempt(client, "ghost")

    known = attempt(client, "coordinator")
    unknown = attempt(client, "ghost")

    assert known.status_code == unknown.status_code == 429
    assert without_csrf_token(known) == without_csrf_token(unknown)


def test_another_address_or_another_username_is_not_locked(client, coordinator, viewer):
    for _ in range(LIMIT):
        attempt(client, "coordinator")

    assert attempt(client, "coordinator", "demo", REMOTE_ADDR="192.0.2.44").status_code == 302
    client.post(reverse("logout"))
    assert attempt(client, "viewer", "demo").status_code == 302


def test_a_successful_login_resets_the_count(client, coordinator):
    for _ in range(LIMIT - 1):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", "demo").status_code == 302
    client.post(reverse("logout"))

    for _ in range(LIMIT - 1):
        assert attempt(client, "coordinator").status_code == 200


def test_behind_a_proxy_the_lockout_follows_the_proxied_address(client, settings, coordinator):
    settings.SAFETYNET_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(LIMIT):
        # The attacker writes a new address of their own each time; the proxy appends theirs.
        attempt(
            client, "coordinator", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.9", **proxy
        )

    locked = attempt(client, "coordinator", "demo", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    other = attempt(client, "coordinator", "demo", HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy)
    assert other.status_code == 302
    assert SecurityEvent.objects.filter(kind="lockout", address="203.0.113.9").exists()


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "", "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy: the header is a lie
        (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies
        (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
        (1, "10.0.0.1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.SAFETYNET_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address_of(request) == expected
