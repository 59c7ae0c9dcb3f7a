"""The consultation's rate limit counts remarks per sender's address, and behind a reverse proxy
that address is the one the proxy saw (``safetynet.security.client_address``), not one the
sender wrote into X-Forwarded-For."""

import pytest

from plans.models import Remark
from tests.plans.test_consultation_views import college, plan, public_url  # noqa: F401

pytestmark = pytest.mark.django_db

PROXY = {"REMOTE_ADDR": "10.0.0.1"}


def send(client, plan, forwarded, text):  # noqa: F811
    return client.post(public_url(plan), {"text": text}, HTTP_X_FORWARDED_FOR=forwarded, **PROXY)


def test_behind_a_proxy_a_sender_cannot_escape_the_limit_by_writing_addresses(
    client,
    plan,  # noqa: F811
    settings,
):
    settings.SAFETYNET_PROXY_COUNT = 1
    settings.SAFETYNET_REMARKS_PER_HOUR = 2
    for number in range(2):
        forwarded = f"198.51.100.{number}, 203.0.113.20"
        assert send(client, plan, forwarded, f"Opmerking {number}").status_code == 302

    refused = send(client, plan, "198.51.100.99, 203.0.113.20", "De derde")

    assert refused.status_code == 200
    assert Remark.objects.count() == 2
    assert send(client, plan, "203.0.113.21", "Een andere buur").status_code == 302
    assert Remark.objects.count() == 3


def test_without_a_proxy_the_header_is_ignored(client, plan, settings):  # noqa: F811
    settings.SAFETYNET_PROXY_COUNT = 0
    settings.SAFETYNET_REMARKS_PER_HOUR = 1
    assert send(client, plan, "198.51.100.1", "Eén").status_code == 302
    # Another address in the header changes nothing: the connection is the same.
    assert send(client, plan, "198.51.100.2", "Twee").status_code == 200
    assert Remark.objects.count() == 1
