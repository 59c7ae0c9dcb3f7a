"""Production: DEBUG off, secrets required, HTTPS everywhere, collected static files.

Run with ``DJANGO_SETTINGS_MODULE=safetynet.settings.production``; it refuses to start without
``SECRET_KEY`` and ``ALLOWED_HOSTS``."""

import os

os.environ["DEBUG"] = os.environ.get("DEBUG", "false")

from .base import *  # noqa: E402
from .env import env_bool, env_int, require  # noqa: E402

if DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG must be off with the production settings.")

require("ALLOWED_HOSTS", "list the host names SafetyNet answers to, separated by commas.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe /healthz by IP over plain HTTP: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a promise to browsers that is hard to take back; `check --deploy` asks for it,
# so it is on unless SECURE_HSTS_PRELOAD=false.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
