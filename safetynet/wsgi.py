import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings.production")

application = get_wsgi_application()

# What is loaded now (Django, the apps, the URLconf with every view) lives as long as the worker:
# moved out of the garbage collector's sight, so that the full collections a large page triggers
# (the network picture's thousand actors) do not walk it again on every request: −25 % time on
# that page (bench/README.md). The next requests' own objects are collected as before.
get_resolver().url_patterns  # noqa: B018 - imports every view before the freeze
gc.collect()
gc.freeze()
