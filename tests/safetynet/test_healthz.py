"""/healthz: 200 when the database answers, 503 when it does not, also to a load balancer's probe
by IP over plain HTTP under the production settings."""

import json

import pytest

from tests.safetynet.test_settings import production, run


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_needs_no_login_and_no_trailing_slash(client):
    assert client.get("/healthz/").status_code == 200


# Runs under the production settings in its own process: a probe by IP (not in ALLOWED_HOSTS)
# over plain http, then an ordinary page the same way as a control that the host check and the
# HTTPS redirect really are on.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
health = client.get("/healthz", HTTP_HOST="10.1.2.3")
page = client.get("/accounts/login/", HTTP_HOST="10.1.2.3")
page_by_name = client.get("/accounts/login/", HTTP_HOST="safetynet.example.org")
print(json.dumps({
    "health": health.status_code,
    "body": health.content.decode(),
    "page_by_ip": page.status_code,
    "page_by_name": page_by_name.status_code,
}))
"""


def probe(tmp_path, **env) -> dict:
    result = run(["-c", PROBE], tmp_path, **production(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_by_ip_over_http_is_503_when_the_database_is_down(tmp_path):
    found = probe(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert found["health"] == 503, found
    assert "ok" not in found["body"]
    # Control: anything else by IP is refused, and by name it is sent to https.
    assert found["page_by_ip"] == 400
    assert found["page_by_name"] == 301


def test_healthz_by_ip_over_http_is_200_when_the_database_answers(tmp_path):
    found = probe(tmp_path)  # no DATABASE_URL: a SQLite file under SAFETYNET_VAR_DIR
    assert found["health"] == 200, found
    assert found["body"].strip() == "ok"
    assert found["page_by_ip"] == 400
