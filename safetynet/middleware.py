from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils import translation


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything else runs.

    Load balancers probe by IP address over plain HTTP: placed first, the probe never meets the
    host name check or the HTTPS redirect. 200 when the database answers, 503 otherwise."""

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != self.path:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure means "not healthy"
            response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok\n", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


class UserLanguageMiddleware:
    """A logged-in person without a language cookie (a new device, a link from an e-mail) gets
    the language their account remembers, not the browser's guess. Runs after authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionPolicyMiddleware:
    """The session rules of ``safetynet.auth`` on every request of a logged-in person.

    - After ``SAFETYNET_IDLE_MINUTES`` without a request the session ends: back to the login
      page, with the page asked for as ``next``.
    - Someone whose roles require a second factor and who logged in without one is sent to set
      it up (no device yet) or to log in again with it (a device exists, e.g. a session from
      before it was set up). Only the set-up pages, logging out and the language switch stay
      open to them.

    Placed after the OTP and message middleware."""

    OPEN_VIEWS = frozenset(
        {
            "login",
            "logout",
            "set_language",
            "two_factor:login",
            "two_factor:setup",
            "two_factor:qr",
            "two_factor:setup_complete",
            "two_factor:backup_tokens",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self._policy(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _policy(self, request):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.shortcuts import redirect
        from django.urls import Resolver404, resolve
        from django.utils.translation import gettext as _

        from django_otp import user_has_device

        from .auth import needs_second_factor, session_touched

        if not session_touched(request):
            messages.info(
                request,
                _("You were logged out after %(minutes)s minutes without activity.")
                % {"minutes": settings.SAFETYNET_IDLE_MINUTES},
            )
            return redirect_to_login(request.get_full_path())
        if not needs_second_factor(request):
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in self.OPEN_VIEWS:
            return None
        if user_has_device(request.user):
            logout(request)
            messages.info(request, _("Log in again with the code of your authenticator app."))
            return redirect_to_login(request.get_full_path())
        messages.warning(
            request,
            _(
                "Your role requires a second factor at login. Set it up now: it takes a minute "
                "with an authenticator app on your phone."
            ),
        )
        return redirect("two_factor:setup")
