"""The plan page's content is rendered once per content version and set of editing rights and
then served from the cache (plan_detail.html, ``plans.permissions.edit_signature``): never stale
after a change of the content or of a reader's rights, never one session's CSRF token in
another's page, and far fewer queries once cached."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from plans.services import item_update, plan_withdraw
from safetynet.constants import Role
from safetynet.permissions import grant_personal, revoke_personal
from tests.budget_support import without_tokens
from tests.plans.pages_support import (
    add_action_plan,
    discuss,
    person,
    plan_page,
    ready_plan,
    submit,
)
from tests.plans.test_consultation import ensure_college

pytestmark = pytest.mark.django_db

CSRF = re.compile(
    r'<form id="plan-items" method="post" hidden><input type="hidden" '
    r'name="csrfmiddlewaretoken" value="([^"]+)">'
)


def get(client, plan):
    response = client.get(plan_page("plan-detail", plan))
    assert response.status_code == 200
    return response.content.decode()


def edit_links(html, plan):
    """The ids of the action plans the page offers to edit."""
    head, tail = plan_page("item-edit", plan, kind="action-plan", item=999999).split("999999")
    return {int(pk) for pk in re.findall(re.escape(head) + r"(\d+)" + re.escape(tail), html)}


def test_the_content_is_read_once_then_served_until_it_changes(client, lindenberg, coordinator):
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    first = get(client, plan)
    with CaptureQueriesContext(connection) as cached:
        again = get(client, plan)
    # REQUEST (4) + plan, content version, transitions, vote rounds, council decisions,
    # discussions: none of the content's nine.
    assert len(cached) <= 10, [q["sql"][:80] for q in cached.captured_queries]
    read = [q["sql"] for q in cached.captured_queries]
    assert not any(sql.startswith('SELECT "plans_actionplan"."id"') for sql in read)
    assert without_tokens(again) == without_tokens(first)

    item_update(item=plan.items["action-plan"], by=coordinator, title="Fietsen veilig gestald")
    assert "Fietsen veilig gestald" in get(client, plan)


def test_readers_with_other_rights_get_their_own_controls(
    client, lindenberg, coordinator, make_member
):
    user = make_member(Role.PROMOTOR, username="sofie")
    plan = ready_plan(lindenberg, coordinator, promotor=person(lindenberg, "Sofie", user=user))
    own = plan.items["action-plan"]
    other = add_action_plan(plan.items["goal"], coordinator, title="Inbraakpreventie")
    client.force_login(coordinator)
    assert edit_links(get(client, plan), plan) == {own.pk, other.pk}

    client.force_login(user)
    assert edit_links(get(client, plan), plan) == {own.pk}
    # A grant changes nothing in the content's version: the signature of the rights does.
    grant_personal(user=user, perm="plans.change_actionplan", obj=other)
    assert edit_links(get(client, plan), plan) == {own.pk, other.pk}
    revoke_personal(user=user, perm="plans.change_actionplan", obj=own)
    revoke_personal(user=user, perm="plans.change_actionplan", obj=other)
    assert edit_links(get(client, plan), plan) == set()


def test_a_cached_page_carries_the_readers_own_csrf_token(lindenberg, coordinator, make_member):
    """Two coordinators share the rendered content; each moves an item with their own token
    (the buttons submit the page's one form, outside the cached content)."""
    plan = ready_plan(lindenberg, coordinator)
    second = add_action_plan(plan.items["goal"], coordinator, title="Inbraakpreventie")
    other_coordinator = make_member(Role.COORDINATOR, username="tweede")
    first_client, second_client = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_client.force_login(coordinator)
    second_client.force_login(other_coordinator)
    get(first_client, plan)  # fills the cache
    html = get(second_client, plan)
    token = CSRF.search(html).group(1)
    move = plan_page("item-move", plan, kind="action-plan", item=second.pk)
    assert f'form="plan-items" formaction="{move}" name="direction" value="up"' in html
    response = second_client.post(move, {"csrfmiddlewaretoken": token, "direction": "up"})
    assert response.status_code == 302
    second.refresh_from_db()
    first = plan.items["action-plan"]
    first.refresh_from_db()
    assert second.order < first.order
    # Without the page's token the same post is refused.
    assert second_client.post(move, {"direction": "down"}).status_code == 403


def test_the_cached_content_is_per_language(client, lindenberg, coordinator, settings):
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Actieplan: " in get(client, plan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Plan d’action : " in get(client, plan) or "Plan d’action: " in get(client, plan)


def test_the_vote_page_shows_each_rounds_own_snapshot(client, lindenberg, coordinator, make_member):
    """The submitted plan on the vote page is rendered once per round (its snapshot never
    changes); a new round after a withdrawal and a change shows the new version."""
    members = ensure_college(lindenberg, make_member)
    plan = ready_plan(lindenberg, coordinator)
    submit(plan, coordinator)
    client.force_login(members[0])
    url = plan_page("vote", plan)
    title = plan.items["action-plan"].title
    assert title in client.get(url).content.decode()
    assert title in client.get(url).content.decode()  # from the cache

    plan_withdraw(plan=plan, by=coordinator, reason="Nog een wijziging")
    item_update(item=plan.items["action-plan"], by=coordinator, title="Fietsen veilig gestald")
    discuss(plan, coordinator)
    submit(plan, coordinator)
    html = client.get(url).content.decode()
    assert "Fietsen veilig gestald" in html
    submitted = html[html.index('id="submitted-heading"') :]
    assert "Fietsen veilig gestald" in submitted
    assert title not in submitted
