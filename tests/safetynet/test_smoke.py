from django.urls import reverse

import pytest

from tests.auth_support import log_in_with_second_factor


@pytest.mark.django_db
def test_pages_render_for_admin(client, admin_user, lindenberg):
    log_in_with_second_factor(client, admin_user)
    for name in [
        "municipality-profile",
        "municipality-profile-edit",
        "municipality-history",
        "member-list",
        "member-invite",
        "member-history",
    ]:
        response = client.get(reverse(name, kwargs={"municipality": "lindenberg"}))
        assert response.status_code == 200, name
    response = client.get(
        reverse("member-detail", kwargs={"municipality": "lindenberg", "user_id": admin_user.pk})
    )
    assert response.status_code == 200
    assert client.get("/").status_code == 200
