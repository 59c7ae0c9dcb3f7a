"""The platform operator's Django admin: municipalities are created there, through the services."""

from django.urls import reverse

import pytest

from safetynet.constants import Language, Region, Role
from safetynet.models import Membership, Municipality, RoleGroup
from tests.auth_support import log_in_with_second_factor
from tests.factories import UserFactory


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


def test_operator_creates_a_municipality_with_its_role_groups_and_history(client, operator):
    log_in_with_second_factor(client, operator)
    response = client.post(
        reverse("admin:safetynet_municipality_add"),
        {
            "name": "Zeedorp",
            "slug": "zeedorp",
            "nis_code": "38999",
            "region": Region.FLANDERS,
            "languages": ["nl"],
            "existing_projects": "",
            "police_zone": "",
            "two_factor": "privileged",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    municipality = Municipality.objects.get(slug="zeedorp")
    assert municipality.languages == [Language.DUTCH]
    assert set(
        RoleGroup.objects.filter(municipality=municipality).values_list("role", flat=True)
    ) == set(Role.values)
    record = municipality.history.get()
    assert record.history_user == operator


def test_operator_refused_a_reserved_slug(client, operator):
    log_in_with_second_factor(client, operator)
    response = client.post(
        reverse("admin:safetynet_municipality_add"),
        {
            "name": "Admin",
            "slug": "admin",
            "nis_code": "38998",
            "region": Region.FLANDERS,
            "languages": ["nl"],
            "two_factor": "privileged",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["slug"]] == ["reserved_slug"]
    assert set(errors) == {"slug"}
    assert not Municipality.objects.filter(slug="admin").exists()


def test_operator_gives_a_role_in_the_admin_and_the_user_gets_access(client, operator, lindenberg):
    person = UserFactory()
    log_in_with_second_factor(client, operator)
    response = client.post(
        reverse("admin:safetynet_membership_add"),
        {"user": person.pk, "municipality": lindenberg.pk, "role": Role.VIEWER},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert membership.history.get().history_user == operator
    client.force_login(person)
    assert client.get(reverse("municipality-profile", args=["lindenberg"])).status_code == 200


def test_a_municipal_admin_cannot_open_the_django_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_users_are_deactivated_not_deleted_so_history_keeps_its_names(
    client, operator, coordinator
):
    log_in_with_second_factor(client, operator)
    response = client.post(
        reverse("admin:safetynet_user_delete", args=[coordinator.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert type(coordinator).objects.filter(pk=coordinator.pk).exists()


def test_role_groups_are_not_edited_by_hand(client, operator):
    log_in_with_second_factor(client, operator)
    assert client.get("/admin/auth/group/").status_code == 404
    page = client.get(reverse("admin:safetynet_user_change", args=[operator.pk])).content.decode()
    assert 'name="groups"' not in page
    assert 'name="user_permissions"' not in page
