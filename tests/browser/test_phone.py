"""At 360 px wide (a small phone): no sideways scrolling, the navigation and the language switcher
work, and the skip link is the first stop of the keyboard."""

from django.conf import settings
from django.utils import translation

from playwright.sync_api import expect

from safetynet.models import Municipality, User
from safetynet.permissions import has_perm
from safetynet.registry import nav_entries

from .conftest import PHONE
from .support import language_name, scroll_width, tr

WIDTH = PHONE["width"]


def assert_within_width(locator):
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    assert box["x"] >= 0, f"{locator} starts left of the screen: {box}"
    assert box["x"] + box["width"] <= WIDTH, f"{locator} sticks out on the right: {box}"


def test_dashboard_and_profile_at_360_px(demo, live_server, phone_page, log_in):
    page = phone_page
    log_in(page, "admin")  # the admin's navigation has the most entries
    assert page.viewport_size == PHONE
    expect(page.get_by_role("region", name=tr("My municipalities and roles"))).to_be_visible()
    assert scroll_width(page) <= WIDTH, "the dashboard scrolls sideways at 360 px"

    # The skip link is the first thing the keyboard reaches, and it moves focus to <main>.
    page.goto(live_server.url + "/")
    skip = page.get_by_role("link", name=tr("Skip to content"), exact=True)
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_within_width(skip)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page).to_have_url(live_server.url + "/#main")

    # Every navigation link is on screen, and they work.
    nav = page.get_by_role("navigation", name=tr("Main navigation"))
    links = nav.get_by_role("link")
    # The entries the admin may open, as the apps registered them (the list grows with them).
    admin = User.objects.get(username="admin")
    lindenberg = Municipality.objects.get(slug="lindenberg")
    with translation.override("nl"):
        names = [tr("Dashboard")] + [
            str(entry.label) for entry in nav_entries() if has_perm(admin, entry.perm, lindenberg)
        ]
    assert tr("Users and roles") in names
    expect(links).to_have_text(names)
    for index in range(links.count()):
        expect(links.nth(index)).to_be_in_viewport()
        assert_within_width(links.nth(index))
    nav.get_by_role("link", name=tr("Profile"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lindenberg/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lindenberg")
    expect(nav.get_by_role("link", name=tr("Profile"), exact=True)).to_have_attribute(
        "aria-current", "page"
    )

    # The profile page does not scroll sideways either.
    assert scroll_width(page) <= WIDTH, "the profile page scrolls sideways at 360 px"

    # The language switcher: every button on screen, big enough to tap, and it works.
    switcher = page.get_by_role("banner").get_by_role("list", name=tr("Language"))
    buttons = switcher.get_by_role("button")
    expect(buttons).to_contain_text([code.upper() for code, _name in settings.LANGUAGES])
    for code, _name in settings.LANGUAGES:  # the full name for screen readers
        expect(switcher.get_by_role("button", name=language_name(code), exact=True)).to_be_visible()
    for index in range(buttons.count()):
        button = buttons.nth(index)
        expect(button).to_be_in_viewport()
        assert_within_width(button)
        box = button.bounding_box()
        assert box["width"] >= 44, f"too narrow to tap: {box}"
        assert box["height"] >= 44, f"too low to tap: {box}"
    switcher.get_by_role("button", name=language_name("en"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lindenberg/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.get_by_role("banner").get_by_role("list", name=tr("Language", "en"))
    expect(switcher.get_by_role("button", name=language_name("en"), exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    nav = page.get_by_role("navigation", name=tr("Main navigation", "en"))
    expect(nav.get_by_role("link", name=tr("Profile", "en"), exact=True)).to_be_visible()
    assert scroll_width(page) <= WIDTH, "the profile page in English scrolls sideways at 360 px"
