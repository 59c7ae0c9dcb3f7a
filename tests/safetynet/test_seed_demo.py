"""``manage.py seed_demo``: the demo accounts the issue lists, idempotent, refused without DEBUG."""

import io

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from safetynet.constants import Role
from safetynet.models import Membership, Municipality, User
from safetynet.permissions import has_perm

# The accounts of issue 2, written out here rather than read from the command, so that the test
# fails when the command forgets one. username: (municipality, {role: is_chair})
DEMO_ACCOUNTS = {
    "admin": ("lindenberg", {Role.ADMIN: False}),
    "coordinator": ("lindenberg", {Role.COORDINATOR: False}),
    "burgemeester": ("lindenberg", {Role.COLLEGE: True}),
    "schepen1": ("lindenberg", {Role.COLLEGE: False}),
    "schepen2": ("lindenberg", {Role.COLLEGE: False}),
    "schepen3": ("lindenberg", {Role.COLLEGE: False}),
    "schepen4": ("lindenberg", {Role.COLLEGE: False}),
    "secretaris": ("lindenberg", {Role.COUNCIL_SECRETARY: False}),
    "kerngroep1": ("lindenberg", {Role.CORE_GROUP: False}),
    "promotor1": ("lindenberg", {Role.PROMOTOR: False}),
    "promotor2": ("lindenberg", {Role.PROMOTOR: False}),
    "viewer": ("lindenberg", {Role.VIEWER: False}),
    "coordinator-heidebeek": ("heidebeek", {Role.COORDINATOR: False}),
}


def counts() -> dict:
    return {
        "users": User.objects.count(),
        "municipalities": Municipality.objects.count(),
        "memberships": Membership.objects.count(),
        "membership history": Membership.history.count(),
        "municipality history": Municipality.history.count(),
        "user history": User.history.count(),
    }


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert "Lindenberg" in output.getvalue()
    return counts()


def test_seed_demo_is_idempotent(seeded, settings):
    assert seeded["users"] >= len(DEMO_ACCOUNTS)
    assert seeded["municipalities"] == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == seeded


def test_the_demo_municipalities(seeded):
    assert set(Municipality.objects.values_list("slug", "name")) == {
        ("lindenberg", "Lindenberg"),
        ("heidebeek", "Heidebeek"),
    }
    for municipality in Municipality.objects.all():
        municipality.full_clean()  # the demo profile passes the profile's own validation


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_every_demo_account_has_its_roles_and_the_password_demo(seeded, username):
    slug, roles = DEMO_ACCOUNTS[username]
    user = User.objects.get(username=username)
    assert user.is_active
    assert user.check_password("demo")
    held = {(m.municipality.slug, m.role, m.is_chair) for m in user.memberships.all()}
    expected = {(slug, role, chair) for role, chair in roles.items()}
    # The mayor may hold more (the seed also seats her in the kerngroep); nobody may lack a role.
    assert expected <= held
    if username != "burgemeester":
        assert held == expected
    assert not user.is_superuser
    for role in roles:
        assert user.groups.filter(
            role_group__municipality__slug=slug, role_group__role=role
        ).exists()


def test_the_college_has_one_chair_the_burgemeester(seeded):
    chairs = Membership.objects.filter(municipality__slug="lindenberg", is_chair=True)
    assert [m.user.username for m in chairs] == ["burgemeester"]
    college = Membership.objects.filter(municipality__slug="lindenberg", role=Role.COLLEGE)
    assert {m.user.username for m in college} == {
        "burgemeester",
        "schepen1",
        "schepen2",
        "schepen3",
        "schepen4",
    }


def test_the_demo_admin_may_edit_lindenberg_only(seeded):
    admin = User.objects.get(username="admin")
    lindenberg = Municipality.objects.get(slug="lindenberg")
    heidebeek = Municipality.objects.get(slug="heidebeek")
    assert has_perm(admin, "safetynet.change_municipality", lindenberg)
    assert not has_perm(admin, "safetynet.change_municipality", heidebeek)


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0
    assert Municipality.objects.count() == 0
    assert Membership.objects.count() == 0


def test_after_seeding_the_coordinator_sees_lindenberg_not_heidebeek(seeded, client):
    client.force_login(User.objects.get(username="coordinator"))
    assert client.get("/heidebeek/profile/").status_code == 404
    assert client.get("/lindenberg/profile/").status_code == 200
    client.force_login(User.objects.get(username="coordinator-heidebeek"))
    assert client.get("/heidebeek/profile/").status_code == 200
    assert client.get("/lindenberg/profile/").status_code == 404


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_on_another_host(settings):
    """A production host that forgot DJANGO_SETTINGS_MODULE runs the dev settings (DEBUG on):
    its remote database must still never get the demo accounts."""
    from django.db import connection

    settings.DEBUG = True
    if connection.vendor == "sqlite":
        pytest.skip("the host check applies to client-server databases")
    original = connection.settings_dict["HOST"]
    connection.settings_dict["HOST"] = "db.gemeente.example"
    try:
        with pytest.raises(CommandError, match="db.gemeente.example"):
            call_command("seed_demo")
    finally:
        connection.settings_dict["HOST"] = original
    assert not User.objects.filter(username="coordinator").exists()
