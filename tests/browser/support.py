"""Helpers shared by the browser tests: expected texts come from the code's own translations,
so the tests never retype a translation."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import gettext

from playwright.sync_api import expect

DEMO_PASSWORD = "demo"


def language_name(code):
    """The accessible name of a language's button in the switcher: the code it shows, then the
    language's own name (WCAG 2.5.3: the visible label starts the name)."""
    return f"{code.upper()} {translation.get_language_info(code)['name_local']}"


def tr(text, language="nl"):
    """``text`` as the application shows it in ``language`` (Dutch is the default)."""
    with translation.override(language):
        return str(gettext(text))


def in_language(value, language="nl"):
    """A lazy translation (a model's verbose name, a choice label) rendered in ``language``."""
    with translation.override(language):
        return str(value)


def form_label(label, language="nl"):
    """A form field's label as the page shows it: translated, with Django's suffix (":")."""
    with translation.override(language):
        return str(label) + str(forms.Form().label_suffix)


def login_labels(language="nl"):
    """The labels of the login form's two fields, as the form itself names them."""
    with translation.override(language):
        fields = AuthenticationForm().fields
    return (
        form_label(fields["username"].label, language),
        form_label(fields["password"].label, language),
    )


def log_in_through_form(page, base_url, username, password=DEMO_PASSWORD):
    """Log in with the login form, as a person would, and land on the dashboard."""
    page.goto(base_url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    username_label, password_label = login_labels()
    page.get_by_label(username_label, exact=True).fill(username)
    page.get_by_label(password_label, exact=True).fill(password)
    page.locator("main").get_by_role("button", name=tr("Log in"), exact=True).click()
    expect(page).to_have_url(base_url + "/")
    return page


def scroll_width(page):
    """How wide the page's content is: wider than the viewport means sideways scrolling.

    Measured once the page has loaded, its stylesheet included (before that, an unstyled page
    could pass or fail for the wrong reason)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")
