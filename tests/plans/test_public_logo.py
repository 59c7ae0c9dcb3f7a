"""The municipality's logo on its public plan pages: served without an account only while the
municipality shows a plan publicly."""

from django.urls import reverse

import pytest

from plans.constants import PlanState
from plans.models import Plan
from plans.services import plan_create
from tests.safetynet.test_views import lindenberg_with_logo, media_root  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_logo_is_public_only_with_a_public_plan(client, lindenberg_with_logo):  # noqa: F811
    url = reverse("public-logo", kwargs={"municipality": "lindenberg"})
    plan = plan_create(
        municipality=lindenberg_with_logo, by=None, title="Plan", period_start=2026, period_end=2031
    )
    assert client.get(url).status_code == 404  # a draft shows nothing to the public

    Plan.objects.filter(pk=plan.pk).update(state=PlanState.CONSULTATION)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    public = reverse("public-plan", kwargs={"municipality": "lindenberg", "pk": plan.pk})
    assert url in client.get(public).content.decode()
    assert client.get(reverse("public-logo", kwargs={"municipality": "nergens"})).status_code == 404
