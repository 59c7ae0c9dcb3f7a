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
