"""Authentication events into the security log and the session rules (``safetynet.auth``).

Connected in ``SafetynetConfig.ready``."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from axes.signals import user_locked_out

from .auth import session_started
from .models import SecurityEvent
from .security import log_event

Kind = SecurityEvent.Kind


def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_started(request, user)
    log_event(Kind.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_event(Kind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django hides the password in ``credentials``; the username is as it was typed.
    log_event(Kind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")))


def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    log_event(Kind.LOCKOUT, request=request, username=str(username or ""))


def connect():
    user_logged_in.connect(_logged_in, dispatch_uid="safetynet-security-login")
    user_logged_out.connect(_logged_out, dispatch_uid="safetynet-security-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="safetynet-security-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="safetynet-security-lockout")
