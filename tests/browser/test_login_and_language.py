"""The coordinator logs in, sees the dashboard in Dutch, switches to French, and logs out."""

from playwright.sync_api import expect

from safetynet.constants import Role

from .support import in_language, language_name, login_labels, tr


def test_coordinator_logs_in_switches_to_french_and_logs_out(demo, live_server, page, log_in):
    panel_title = {
        "nl": tr("My municipalities and roles"),
        "fr": tr("My municipalities and roles", "fr"),
    }
    assert panel_title["fr"] != panel_title["nl"], (
        "“My municipalities and roles” reads the same in French and Dutch: the French (or Dutch) "
        "catalogue lacks it, or was not compiled (manage.py compilemessages)"
    )

    # Logged in through the form, the coordinator lands on the dashboard, in Dutch.
    log_in(page, "coordinator")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("What needs me"))
    panel = page.get_by_role("region", name=panel_title["nl"])
    expect(panel).to_be_visible()
    card = panel.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Lindenberg"))
    expect(card.get_by_role("link", name="Lindenberg", exact=True)).to_have_attribute(
        "href", "/lindenberg/profile/"
    )
    expect(card.get_by_role("list", name=tr("Roles"))).to_have_text(
        in_language(Role.COORDINATOR.label)
    )

    # The language switcher in the header: one button per language.
    header = page.get_by_role("banner")
    french = header.get_by_role("button", name=language_name("fr"), exact=True)
    expect(french).to_have_attribute("aria-pressed", "false")
    french.click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(french).to_have_attribute("aria-pressed", "true")
    expect(header.get_by_role("button", name=language_name("nl"), exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("What needs me", "fr"))
    panel = page.get_by_role("region", name=panel_title["fr"])
    expect(panel).to_be_visible()
    expect(panel.get_by_role("list", name=tr("Roles", "fr"))).to_have_text(
        in_language(Role.COORDINATOR.label, "fr")
    )
    expect(page.get_by_text(panel_title["nl"], exact=True)).to_have_count(0)

    # Logging out through the user menu leads back to the login page (still in French).
    user_menu = header.locator("details.user-menu")
    user_menu.locator("summary").click()
    log_out = user_menu.get_by_role("button", name=tr("Log out", "fr"), exact=True)
    expect(log_out).to_be_visible()
    log_out.click()

    expect(page).to_have_url(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Log in", "fr"))
    username_label, _password_label = login_labels("fr")
    expect(page.get_by_label(username_label, exact=True)).to_be_visible()
    expect(header.locator("details.user-menu")).to_have_count(0)
    # Really logged out: the dashboard asks to log in again.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
