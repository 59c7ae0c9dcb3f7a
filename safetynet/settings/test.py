"""Tests: fast hashing, e-mail kept in memory, static files served from the finders."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use")

from .base import *  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests must be able to log in with short demo passwords.
AUTH_PASSWORD_VALIDATORS = []
CONN_MAX_AGE = 0
for _db in DATABASES.values():
    _db["CONN_MAX_AGE"] = 0
# A stand-in domain app for the permission and history machinery's own tests.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# Background tasks run at once, inside the request: no worker to start.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "documents"],
    }
}
