"""The floor of the benchmark: the production settings with Django's default middleware only,
the floor's bare views and an admin site of the same tables (``bench/floor/urls.py``).

Served by its own gunicorn beside SafetyNet's in the same ``make bench`` run, against the same
database, so each page's ratio to what Django itself costs for the same rows is measured on the
same machine at the same time."""

from safetynet.settings.production import *  # noqa: F403
from safetynet.settings.production import INSTALLED_APPS

from .defaults import MIDDLEWARE as DEFAULT_MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.floor"]

MIDDLEWARE = DEFAULT_MIDDLEWARE

ROOT_URLCONF = "bench.floor.urls"

# No login form is served here (the floor's sessions are made by bench/prepare.py).
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
