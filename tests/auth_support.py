"""Logging in through the real login form (django-two-factor-auth's wizard) in tests."""

LOGIN_STEP_FIELD = "login_view-current_step"


def login_form(username, password):
    """The POST data of the login form's first step (username and password)."""
    return {
        LOGIN_STEP_FIELD: "auth",
        "username": username,
        "password": password,
    }


def token_form(token):
    """The POST data of the second step: the authenticator app's code."""
    return {LOGIN_STEP_FIELD: "token", "token-otp_token": token}


def recovery_form(code):
    """The POST data of the recovery-code step."""
    return {LOGIN_STEP_FIELD: "backup", "backup-otp_token": code}


def log_in_with_second_factor(client, user):
    """Log ``user`` in as if they had typed their password and their authenticator's code: a
    confirmed TOTP device and a session verified with it (for platform admins, and anyone whose
    municipality requires the second factor)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
