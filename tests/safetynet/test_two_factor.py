"""Logging in with a second factor (SECURITY.md, "Logging in"): who must, setting it up with an
authenticator app, recovery codes, and that nobody reaches a page without it."""

from base64 import b32decode

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.auth import two_factor_required
from safetynet.constants import Role, TwoFactorPolicy
from safetynet.models import SecurityEvent
from safetynet.services import municipality_update
from tests.auth_support import (
    log_in_with_second_factor,
    login_form,
    recovery_form,
    token_form,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETUP_STEP_FIELD = "setup_view-current_step"


@pytest.fixture
def strict(lindenberg):
    """Lindenberg as a real municipality: second factor for the privileged roles."""
    lindenberg.two_factor = TwoFactorPolicy.PRIVILEGED
    lindenberg.save()
    return lindenberg


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    """The code the authenticator app shows now (``offset`` steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step):06d}"


def events(kind):
    return SecurityEvent.objects.filter(kind=kind)


@pytest.mark.parametrize(
    ("policy", "role", "required"),
    [
        (TwoFactorPolicy.PRIVILEGED, Role.ADMIN, True),
        (TwoFactorPolicy.PRIVILEGED, Role.COORDINATOR, True),
        (TwoFactorPolicy.PRIVILEGED, Role.COLLEGE, True),
        (TwoFactorPolicy.PRIVILEGED, Role.COUNCIL_SECRETARY, True),
        (TwoFactorPolicy.PRIVILEGED, Role.CORE_GROUP, False),
        (TwoFactorPolicy.PRIVILEGED, Role.PROMOTOR, False),
        (TwoFactorPolicy.PRIVILEGED, Role.VIEWER, False),
        (TwoFactorPolicy.EVERYONE, Role.VIEWER, True),
        (TwoFactorPolicy.EVERYONE, Role.PROMOTOR, True),
        (TwoFactorPolicy.OFF, Role.COORDINATOR, False),
        (TwoFactorPolicy.OFF, Role.ADMIN, False),
    ],
)
def test_who_must_use_a_second_factor(lindenberg, make_member, policy, role, required):
    lindenberg.two_factor = policy
    lindenberg.save()
    assert two_factor_required(make_member(role)) is required


def test_platform_admins_always_need_a_second_factor(db):
    assert two_factor_required(UserFactory(is_staff=True, is_superuser=True))
    assert not two_factor_required(UserFactory())


def test_a_role_in_a_strict_municipality_counts_even_beside_a_demo_one(
    strict, heidebeek, make_member
):
    person = make_member(Role.VIEWER, municipality=heidebeek)
    assert not two_factor_required(person)
    make_member(Role.COLLEGE, municipality=strict, username=person.username)
    assert two_factor_required(person)


def test_a_coordinator_without_a_device_is_sent_to_set_it_up_and_reaches_nothing_else(
    client, strict, coordinator
):
    response = client.post(reverse("login"), login_form("coordinator", "demo"))
    assert response.status_code == 302

    for url in ["/", "/lindenberg/profile/", "/lindenberg/plans/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("two_factor:setup"), url
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_setting_up_the_authenticator_then_recovery_codes_opens_the_site(
    client, strict, coordinator
):
    client.post(reverse("login"), login_form("coordinator", "demo"))
    client.get(reverse("two_factor:setup"))
    response = client.post(reverse("two_factor:setup"), {SETUP_STEP_FIELD: "welcome"})
    assert response.status_code == 200
    assert b'src="/accounts/security/setup/qrcode/"' in response.content
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"].startswith("image/svg+xml")

    secret = client.session["django_two_factor-qr_secret_key"]
    code = f"{totp(b32decode(secret), step=30, t0=0):06d}"
    response = client.post(
        reverse("two_factor:setup"),
        {SETUP_STEP_FIELD: "generator", "generator-token": code},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:backup_tokens")
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed
    codes = StaticToken.objects.filter(device__user=coordinator)
    assert codes.count() == 10
    page = client.get(reverse("two_factor:backup_tokens")).content.decode()
    assert all(code.token in page for code in codes)
    assert client.get("/lindenberg/plans/").status_code == 200
    assert events(SecurityEvent.Kind.TWO_FACTOR_CHANGED).filter(user=coordinator).exists()


def test_a_wrong_setup_code_sets_nothing_up(client, strict, coordinator):
    client.post(reverse("login"), login_form("coordinator", "demo"))
    client.get(reverse("two_factor:setup"))
    client.post(reverse("two_factor:setup"), {SETUP_STEP_FIELD: "welcome"})

    response = client.post(
        reverse("two_factor:setup"), {SETUP_STEP_FIELD: "generator", "generator-token": "000000"}
    )

    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


@pytest.fixture
def device(coordinator):
    return TOTPDevice.objects.create(user=coordinator, name="default", confirmed=True)


def test_logging_in_asks_for_the_code_after_the_password(client, strict, coordinator, device):
    response = client.post(reverse("login"), login_form("coordinator", "demo"))
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "token"
    assert not client.get("/").wsgi_request.user.is_authenticated

    response = client.post(reverse("login"), token_form(code_of(device)))

    assert response.status_code == 302
    assert client.get("/lindenberg/plans/").status_code == 200


def test_a_wrong_code_is_refused_and_logged(client, strict, coordinator, device):
    client.post(reverse("login"), login_form("coordinator", "demo"))

    response = client.post(reverse("login"), token_form("123456"))

    assert response.status_code == 200
    assert response.context["wizard"]["form"].errors
    assert not client.get("/").wsgi_request.user.is_authenticated
    event = events(SecurityEvent.Kind.SECOND_FACTOR_FAILED).get()
    assert event.user == coordinator
    assert event.address == "127.0.0.1"


def test_a_recovery_code_logs_in_once(client, strict, coordinator, device):
    backup = coordinator.staticdevice_set.create(name="backup")
    backup.token_set.create(token="abcd1234")

    client.post(reverse("login"), login_form("coordinator", "demo"))
    response = client.post(reverse("login"), recovery_form("abcd1234"))
    assert response.status_code == 302
    assert client.get("/lindenberg/plans/").status_code == 200
    client.post(reverse("logout"))

    client.post(reverse("login"), login_form("coordinator", "demo"))
    response = client.post(reverse("login"), recovery_form("abcd1234"))
    assert response.status_code == 200
    assert not backup.token_set.exists()


def test_a_session_from_before_the_device_must_log_in_again(client, strict, coordinator, device):
    client.force_login(coordinator)  # a session not confirmed with the device

    response = client.get("/lindenberg/plans/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_who_must_use_it_cannot_switch_it_off(client, strict, coordinator, device):
    log_in_with_second_factor(client, coordinator)

    response = client.post(reverse("two_factor:disable"), {"understand": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:profile")
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_who_may_go_without_can_switch_it_off(client, strict, viewer):
    log_in_with_second_factor(client, viewer)

    response = client.post(reverse("two_factor:disable"), {"understand": "on"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    assert events(SecurityEvent.Kind.TWO_FACTOR_CHANGED).filter(user=viewer).exists()


def test_the_account_security_page_shows_the_state_and_the_session_tools(
    client, strict, coordinator, device
):
    log_in_with_second_factor(client, coordinator)

    page = client.get(reverse("two_factor:profile")).content.decode()

    assert reverse("two_factor:backup_tokens") in page
    assert reverse("logout-everywhere") in page
    assert reverse("two_factor:disable") not in page  # required for a coordinator


def test_a_municipal_admin_cannot_switch_the_second_factor_off(strict, make_member):
    admin = make_member(Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        municipality_update(municipality=strict, by=admin, two_factor=TwoFactorPolicy.OFF)
    assert "two_factor" in refused.value.message_dict
    strict.refresh_from_db()
    assert strict.two_factor == TwoFactorPolicy.PRIVILEGED

    municipality_update(municipality=strict, by=admin, two_factor=TwoFactorPolicy.EVERYONE)
    strict.refresh_from_db()
    assert strict.two_factor == TwoFactorPolicy.EVERYONE


def test_the_profile_form_does_not_offer_switching_it_off(client, strict, make_member):
    admin = make_member(Role.ADMIN, username="muni-admin")
    log_in_with_second_factor(client, admin)

    response = client.get(reverse("municipality-profile-edit", args=["lindenberg"]))

    choices = [value for value, _label in response.context["form"].fields["two_factor"].choices]
    assert TwoFactorPolicy.OFF not in choices
    assert TwoFactorPolicy.EVERYONE in choices


def test_the_django_admin_logs_in_through_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"


def test_the_login_page_of_the_demo_needs_no_code(client, coordinator, lindenberg):
    """The tests' municipalities, like the demo's, have the second factor off."""
    assert lindenberg.two_factor == TwoFactorPolicy.OFF
    response = client.post(reverse("login"), login_form("coordinator", "demo"))
    assert response.status_code == 302
    assert client.get("/lindenberg/plans/").status_code == 200


def test_guessing_codes_is_slowed_down(client, strict, coordinator, device):
    """django-otp's throttle: after a wrong code every try waits longer, the right code too."""
    client.post(reverse("login"), login_form("coordinator", "demo"))
    client.post(reverse("login"), token_form("000000"))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    response = client.post(reverse("login"), token_form(code_of(device)))

    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated
