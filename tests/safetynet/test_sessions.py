"""Sessions (SECURITY.md, "Logging in"): a new session key at login, an idle timeout, logging
out everywhere, password rules and a password reset that tells nobody who has an account."""

import time

from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import pytest

from safetynet.auth import SEEN_KEY
from safetynet.models import SecurityEvent
from safetynet.settings import base
from tests.auth_support import login_form

pytestmark = pytest.mark.django_db


def logged_in(client) -> bool:
    return client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_logging_in_gives_a_new_session_key(client, coordinator):
    client.get(reverse("login"))  # the login form's wizard starts an anonymous session
    before = client.session.session_key
    assert before

    client.post(reverse("login"), login_form("coordinator", "demo"))

    assert client.session.session_key != before
    assert logged_in(client)


def test_the_login_is_logged_with_the_address(client, coordinator):
    client.post(reverse("login"), login_form("coordinator", "demo"), REMOTE_ADDR="192.0.2.8")

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert (event.user, event.username, event.address) == (coordinator, "coordinator", "192.0.2.8")


def test_an_idle_session_ends(client, settings, coordinator):
    settings.SAFETYNET_IDLE_MINUTES = 30
    client.force_login(coordinator)
    assert logged_in(client)
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()

    response = client.get("/lindenberg/plans/")

    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/lindenberg/plans/"
    assert not logged_in(client)
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SESSION_EXPIRED, user=coordinator
    ).exists()


def test_an_active_session_goes_on(client, settings, coordinator):
    settings.SAFETYNET_IDLE_MINUTES = 30
    client.force_login(coordinator)
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()

    assert client.get("/lindenberg/plans/").status_code == 200
    assert time.time() - client.session[SEEN_KEY] < 5  # the clock was reset


def test_logging_out_everywhere_ends_every_session(coordinator):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("login"), login_form("coordinator", "demo"))
        assert logged_in(device)

    response = laptop.post(reverse("logout-everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not logged_in(laptop)
    assert not logged_in(phone)
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGOUT_EVERYWHERE, user=coordinator
    ).exists()
    # The password still works: a new login is a new session.
    phone.post(reverse("login"), login_form("coordinator", "demo"))
    assert logged_in(phone)


def test_logging_out_everywhere_is_a_post(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("logout-everywhere")).status_code == 405
    assert logged_in(client)


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012", "coordinator2025"])
def test_weak_passwords_are_refused_in_production(settings, coordinator, password):
    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError):
        validate_password(password, user=coordinator)


def test_a_long_uncommon_password_is_accepted(settings, coordinator):
    settings.AUTH_PASSWORD_VALIDATORS = base.AUTH_PASSWORD_VALIDATORS
    validate_password("vlinder-kanaal-Trommel-47", user=coordinator)


def test_a_password_reset_tells_nobody_whether_an_account_exists(client, coordinator):
    known = client.post(reverse("password_reset"), {"email": coordinator.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
