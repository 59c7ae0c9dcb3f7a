"""Prepares one benchmark run inside Django (the production settings, the bench database):
sessions for the users whose pages are measured — each with a confirmed TOTP device and a
verified second factor, as the real middleware wants — a superuser for the floor's admin, the
addresses of the targets, and each page's number of queries (one warm request first).

    python bench/prepare.py --municipality scale-001 --out var/bench/world.json"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, name="bench").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def query_count(path: str, cookie: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.get(path, secure=True)  # warm: caches, the once-a-minute session rule
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, secure=True)
    return response.status_code, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipality", default="scale-001")
    parser.add_argument("--out", required=True)
    options = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bench.targets import resolve
    from safetynet.constants import Role
    from safetynet.models import Membership, Municipality

    municipality = Municipality.objects.get(slug=options.municipality)

    def member(role, **extra):
        membership = (
            Membership.objects.filter(municipality=municipality, role=role, **extra)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise SystemExit(f"bench: {municipality.slug} has no {role}; run seed_scale.")
        return membership.user

    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", "bench-admin@example.invalid", None)
    cookies = {
        "coordinator": session_cookie(member(Role.COORDINATOR)),
        "college": session_cookie(member(Role.COLLEGE)),
        "admin": session_cookie(admin),
        "anonymous": "",
    }
    targets = []
    for target in resolve(municipality.slug):
        status, queries = query_count(target.path, cookies[target.role])
        if status != 200:
            raise SystemExit(f"bench: {target.path} answered {status} to {target.role}")
        targets.append({**target.as_dict(), "queries": queries})
    Path(options.out).write_text(
        json.dumps({"municipality": municipality.slug, "cookies": cookies, "targets": targets})
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings.production")
    main()
