"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser``. Without /usr/bin/chromium they skip with a reason, which
CI's strict flag (SAFETYNET_STRICT=1) turns into a failure. No browser is ever downloaded."""

import io
import os
from pathlib import Path

from django.core.management import call_command

import pytest
from playwright.sync_api import expect, sync_playwright

from .support import DEMO_PASSWORD, log_in_through_form

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse every
# database query of the test (and of the fixtures) as "async unsafe". Only the browser tests need
# this, so it is set here and nowhere else (PITFALLS.md, "Tests in a browser").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# Generous for a loaded CI machine; Playwright waits only as long as it must.
TIMEOUT_MS = 10_000

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser with ``browser`` (``-m "not browser"`` skips them)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
            "CI installs it)"
        )
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(viewport=DESKTOP)``: a page in a fresh browser context (own cookies), closed
    after the test. Relative addresses (``page.goto("/")``) go to the live server."""
    contexts = []

    def make(viewport=None):
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            base_url=live_server.url,
            # A Flemish browser: the pages are in Dutch, the default language, until the
            # person picks another one (Chromium would otherwise ask for en-US).
            locale="nl-BE",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280×800)."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (360×740)."""
    return new_page(PHONE)


@pytest.fixture
def demo(transactional_db, live_server, settings):
    """The demo data of ``manage.py seed_demo`` (Lindenberg, Heidebeek, their users).

    seed_demo refuses to run without DEBUG; DEBUG is on for the call only, since the live server
    runs in another thread of this process and must not serve Django's debug pages."""
    settings.DEBUG = True
    try:
        call_command("seed_demo", stdout=io.StringIO())
    finally:
        settings.DEBUG = False


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username)``: log in through the login form, as a person would."""

    def do(page, username, password=DEMO_PASSWORD):
        return log_in_through_form(page, live_server.url, username, password)

    return do
