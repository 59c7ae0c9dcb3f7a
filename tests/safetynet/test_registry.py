"""Apps plug into the navigation and the dashboard through safetynet.registry."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from safetynet.constants import Role
from safetynet.registry import (
    DashboardPanel,
    NavEntry,
    register_dashboard_panel,
    register_nav_entry,
    unregister,
)

NOTES = NavEntry("test-notes", "Notes of the test app", "member-history", "testapp.view_note", 5)


@pytest.fixture
def notes_entry():
    register_nav_entry(NOTES)
    yield NOTES
    unregister(NOTES.key)


def _nav(client):
    page = client.get("/lindenberg/profile/").content.decode()
    return page[page.index('<nav class="main-nav"') : page.index("</nav>")]


@pytest.mark.django_db
def test_an_app_s_entry_shows_to_the_roles_holding_its_permission(client, role_users, notes_entry):
    # The stand-in app gives testapp.view_note to coordinators and viewers.
    for role, user in role_users.items():
        client.force_login(user)
        shown = notes_entry.label in _nav(client)
        assert shown == (role in {Role.COORDINATOR, Role.VIEWER}), role


@pytest.mark.django_db
def test_an_entry_may_decide_for_itself(client, role_users):
    entry = NavEntry(
        "test-mine",
        "Only for promotors",
        "municipality-profile",
        "testapp.view_note",
        visible=lambda request, municipality: request.user.username == "as-promotor",
    )
    register_nav_entry(entry)
    try:
        for role, user in role_users.items():
            client.force_login(user)
            assert (entry.label in _nav(client)) == (role == Role.PROMOTOR), role
    finally:
        unregister(entry.key)


def test_two_entries_with_one_name_are_refused(notes_entry):
    register_nav_entry(notes_entry)  # the same entry again is harmless
    with pytest.raises(ImproperlyConfigured):
        register_nav_entry(NavEntry(notes_entry.key, "Other", "member-list", "x.y"))


@pytest.mark.django_db
def test_a_panel_with_nothing_to_say_is_left_out(client, coordinator, tmp_path, settings):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]  # resets the engines
    (tmp_path / "panel.html").write_text("<p>PANEL {{ panel.word }}</p>")
    said = DashboardPanel("test-says", "panel.html", lambda request: {"word": "hello"})
    silent = DashboardPanel("test-silent", "panel.html", lambda request: None)
    register_dashboard_panel(said)
    register_dashboard_panel(silent)
    try:
        client.force_login(coordinator)
        page = client.get("/").content.decode()
    finally:
        unregister(said.key)
        unregister(silent.key)
    assert page.count("PANEL") == 1
    assert "PANEL hello" in page
