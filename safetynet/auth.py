"""Who must log in with a second factor, and the session rules (SECURITY.md, "Logging in").

- Platform admins (staff, superusers) always confirm their login with a second factor.
- In a municipality, its admins, coordinators, college members and council secretary do
  (``TWO_FACTOR_ROLES``), everyone when the municipality asks for it (``TwoFactorPolicy.EVERYONE``),
  nobody when it switched the second factor off (``TwoFactorPolicy.OFF``: the demo municipalities).
- A session ends after ``SAFETYNET_IDLE_MINUTES`` without a request and after
  ``SESSION_COOKIE_AGE`` in any case; "log out everywhere" ends all of a person's sessions."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.db.models import F, Q

from .constants import TWO_FACTOR_ROLES, TwoFactorPolicy
from .models import Membership, SecurityEvent, User
from .security import log_event

SEEN_KEY = "safetynet_seen"
REQUIRED_KEY = "safetynet_two_factor_required"
# How often the last-seen time (and with it the session row) is written: not on every request.
SEEN_RESOLUTION_SECONDS = 60


def two_factor_required(user) -> bool:
    """Whether ``user`` must confirm logins with a second factor (one query for non-staff)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user)
        .exclude(municipality__two_factor=TwoFactorPolicy.OFF)
        .filter(Q(role__in=TWO_FACTOR_ROLES) | Q(municipality__two_factor=TwoFactorPolicy.EVERYONE))
        .exists()
    )


def session_started(request, user) -> None:
    """At login: the idle clock starts and the second-factor rule is read once."""
    request.session[SEEN_KEY] = int(time.time())
    request.session[REQUIRED_KEY] = two_factor_required(user)


def session_touched(request) -> bool:
    """Note the request in the session; ``False`` when the session was idle too long (it is
    then ended). Writes the session at most once a minute, then also re-reads the second-factor
    rule (a new role takes effect within a minute)."""
    now = int(time.time())
    seen = request.session.get(SEEN_KEY)
    if seen is not None and now - seen > settings.SAFETYNET_IDLE_MINUTES * 60:
        log_event(SecurityEvent.Kind.SESSION_EXPIRED, request=request)
        logout(request)
        return False
    if seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
        request.session[SEEN_KEY] = now
        request.session[REQUIRED_KEY] = two_factor_required(request.user)
    return True


def needs_second_factor(request) -> bool:
    """The person is logged in without the second factor their roles ask for."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    required = request.session.get(REQUIRED_KEY)
    if required is None:
        required = request.session[REQUIRED_KEY] = two_factor_required(user)
    return required


def log_out_everywhere(request) -> None:
    """End every session of the person, this one included (their other devices are logged
    out at their next request)."""
    user = request.user
    # An update, not a save: the account itself does not change (no history row, no
    # validation of its other fields); the security log records it.
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    log_event(SecurityEvent.Kind.LOGOUT_EVERYWHERE, request=request, user=user)
    logout(request)
