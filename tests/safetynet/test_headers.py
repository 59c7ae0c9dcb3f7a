"""Security headers and cookie flags (SECURITY.md, "Headers and transport").

The production settings' values are read from a real process started with them (as
``test_settings.py`` does) and applied here, so that these tests follow what production sends."""

import json
import re

from django.urls import reverse

import pytest

from tests.auth_support import login_form
from tests.safetynet.test_settings import production, run

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
]

PRINT = f"""
import json, django
django.setup()
from django.conf import settings
print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))
"""


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    completed = run(["-c", PRINT], tmp_path_factory.mktemp("production"), **production())
    assert completed.returncode == 0, completed.stderr
    values = json.loads(completed.stdout)
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def as_production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_header_on_a_page_served_over_https(client, as_production):
    response = client.get(reverse("login"), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_plain_http_is_sent_to_https_except_the_health_probe(client, as_production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")

    assert client.get("/healthz").status_code == 200


def test_https_behind_the_proxy_is_recognised(client, as_production):
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_cookies_are_secure_http_only_and_same_site(client, as_production, coordinator):
    response = client.post(reverse("login"), login_form("coordinator", "demo"), secure=True)
    assert response.status_code == 302

    session = response.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["path"] == "/"
    assert not session["domain"]  # __Host- cookies are bound to the host
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/lindenberg/profile/",
        "/lindenberg/actors/",
        "/lindenberg/coregroup/",
        "/lindenberg/plans/",
        "/accounts/security/",
    ],
)
def test_pages_carry_the_policy_and_nothing_inline(client, coordinator, path):
    """Nothing on a page needs 'unsafe-inline': no inline script, handler or style."""
    client.force_login(coordinator)

    response = client.get(path)

    assert response.status_code == 200, path
    assert "Content-Security-Policy" in response
    html = response.content.decode()
    assert "<script" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "an inline style attribute"
    assert "<style" not in html
    assert "javascript:" not in html
