"""The coordinator adds an actor, gives it a role, and finds it in the network picture."""

from playwright.sync_api import expect

from actors.constants import RoleType
from actors.models import Actor, ActorKind

from .support import tr


def test_the_coordinator_adds_an_actor_with_a_role_and_finds_it_in_the_network(
    demo, live_server, page, log_in
):
    log_in(page, "coordinator")
    nav = page.get_by_role("navigation", name=tr("Main navigation"))
    nav.get_by_role("link", name=tr("Actors"), exact=True).click()
    page.get_by_role("link", name=tr("Add an actor"), exact=True).click()

    street_workers = ActorKind.objects.get(municipality=None, code="street_workers")
    page.get_by_role("radio", name=tr("Person"), exact=True).check()
    page.locator("input[name=name]").fill("Yasmina Haddad")
    page.locator("select[name=kind]").select_option(str(street_workers.pk))
    page.locator("input[name=function_title]").fill("Straathoekwerker Molenwijk")
    page.get_by_role("button", name=tr("Add"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Yasmina Haddad")
    actor = Actor.objects.get(municipality__slug="lindenberg", name="Yasmina Haddad")
    expect(page).to_have_url(live_server.url + actor.get_absolute_url())

    page.get_by_role("link", name=tr("Give a role"), exact=True).click()
    page.locator("select[name=role]").select_option(RoleType.PROMOTOR)
    page.locator("input[name=title]").fill("Promotor actieplan jongerenoverlast Molenwijk")
    page.locator("input[name=start]").fill("2025-01-15")
    page.get_by_role("button", name=tr("Give the role"), exact=True).click()

    expect(page).to_have_url(live_server.url + actor.get_absolute_url())
    assert actor.role_assignments.get().role == RoleType.PROMOTOR
    assert actor.history.latest().history_user.username == "coordinator"

    nav.get_by_role("link", name=tr("Network"), exact=True).click()
    picture = page.get_by_role(
        "group", name=tr("The safety network of %(municipality)s") % {"municipality": "Lindenberg"}
    )
    expect(picture.locator(f'a[href="{actor.get_absolute_url()}"]')).to_have_count(1)
    # The text alternative lists the actor under its structure, and the link opens it.
    page.locator("main").get_by_role("link", name="Yasmina Haddad", exact=True).first.click()
    expect(page).to_have_url(live_server.url + actor.get_absolute_url())
