"""The municipal admin edits Lindenberg's profile; the history shows who changed what."""

from django.utils import formats, translation
from django.utils.text import capfirst

from playwright.sync_api import expect

from safetynet.constants import Infrastructure
from safetynet.models import Municipality, User

from .support import form_label, in_language, tr


def verbose_name(name):
    return Municipality._meta.get_field(name).verbose_name


def form_field_label(name):
    """A profile field's label in the edit form (Dutch), as a ModelForm names it."""
    return form_label(in_language(capfirst(verbose_name(name))))


def history_label(name):
    """A profile field's name in the history (Dutch), as safetynet.history names it."""
    return in_language(verbose_name(name)).capitalize()


def number(value):
    """A number as the Dutch pages write it: 49.500."""
    with translation.override("nl"):
        return formats.number_format(value, force_grouping=True)


def test_admin_edits_the_profile_and_reads_the_history(demo, live_server, page, log_in):
    lindenberg = Municipality.objects.get(slug="lindenberg")
    old_population, new_population = lindenberg.population, lindenberg.population + 1_250
    assert Infrastructure.HOSPITAL not in lindenberg.infrastructures
    hospital = in_language(Infrastructure.HOSPITAL.label)
    admin = User.objects.get(username="admin")

    log_in(page, "admin")
    nav = page.get_by_role("navigation", name=tr("Main navigation"))
    nav.get_by_role("link", name=tr("Profile"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lindenberg/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lindenberg")

    page.get_by_role("link", name=tr("Edit the profile"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lindenberg/profile/edit/")
    population = page.get_by_label(form_field_label("population"), exact=True)
    expect(population).to_have_value(str(old_population))
    population.fill(str(new_population))
    checkbox = page.get_by_role("checkbox", name=hospital, exact=True)
    expect(checkbox).not_to_be_checked()
    checkbox.check()
    page.get_by_role("button", name=tr("Save"), exact=True).click()

    expect(page).to_have_url(live_server.url + "/lindenberg/profile/")
    expect(page.get_by_role("status")).to_have_text(tr("The profile has been saved."))
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(number(new_population))
    infrastructures = page.get_by_role("region", name=tr("Infrastructures"))
    expect(infrastructures.get_by_role("listitem").filter(has_text=hospital)).to_have_count(1)

    page.get_by_role("link", name=tr("History"), exact=True).click()
    expect(page).to_have_url(live_server.url + "/lindenberg/profile/history/")
    latest = page.locator("li.history-entry").first
    expect(latest.locator(".history-meta")).to_contain_text(admin.get_full_name())
    population_row = latest.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=history_label("population"), exact=True)
    )
    expect(population_row.locator("del")).to_have_text(number(old_population))
    expect(population_row.locator("ins")).to_have_text(number(new_population))
    infrastructure_row = latest.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=history_label("infrastructures"), exact=True)
    )
    expect(infrastructure_row.locator("del")).not_to_contain_text(hospital)
    expect(infrastructure_row.locator("ins")).to_contain_text(hospital)

    lindenberg.refresh_from_db()
    assert lindenberg.population == new_population
    assert Infrastructure.HOSPITAL in lindenberg.infrastructures
