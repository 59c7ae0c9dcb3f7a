"""A plan's content version (``plans.versions.content_version``): one query, and a new value
after every kind of change its pages show — so a fragment cached under it is never stale — and
the same value after changes elsewhere. The public page caches its content under it."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from actors.services import actor_update
from coregroup.services import working_group_create, working_group_update
from plans.constants import PlanState
from plans.models import Action
from plans.services import item_add, item_remove, item_update, plan_update
from plans.versions import _version_query, content_version
from tests.plans.builders import complete_plan, person, put_in_state
from tests.plans.test_consultation import consulting_plan, ensure_college

pytestmark = pytest.mark.django_db


def version(plan):
    with CaptureQueriesContext(connection) as queries:
        found = content_version(plan)
    assert len(queries) == 1
    return found


def test_every_kind_of_change_the_pages_show_gives_a_new_version(lindenberg, coordinator):
    built = complete_plan(lindenberg, coordinator)
    partner = person(lindenberg, "Karel Partner", by=coordinator)
    group = working_group_create(
        municipality=lindenberg, name="Werkgroep Jeugd", promotor=built.promotor, by=coordinator
    )
    changes = {
        "working group": lambda: item_update(
            item=built.action_plan, by=coordinator, working_group=group
        ),
        "working group's name": lambda: working_group_update(
            working_group=group, by=coordinator, name="Werkgroep Jongeren"
        ),
        "goal": lambda: item_update(item=built.goal, by=coordinator, title="Andere titel"),
        "phenomena": lambda: item_update(item=built.operational_goal, by=coordinator, phenomena=[]),
        "action plan": lambda: item_update(item=built.action_plan, by=coordinator, title="AP"),
        "partners": lambda: item_update(item=built.action_plan, by=coordinator, partners=[partner]),
        "result": lambda: item_update(item=built.result, by=coordinator, text="Ander resultaat"),
        "indicator": lambda: item_update(item=built.indicator, by=coordinator, name="Andere"),
        "action added": lambda: item_add(
            item=Action(action_plan=built.action_plan, title="Nog een actie"), by=coordinator
        ),
        "action removed": lambda: item_remove(item=built.action, by=coordinator),
        "resource": lambda: item_update(
            item=built.resource, by=coordinator, amount=Decimal("2500")
        ),
        "promotor's name": lambda: actor_update(
            actor=built.promotor, by=coordinator, name="Ingrid Wouters-Peeters"
        ),
        "partner's name": lambda: actor_update(actor=partner, by=coordinator, name="Karel P."),
    }
    seen = {version(built.plan)}
    for what, change in changes.items():
        change()
        now = version(built.plan)
        assert now not in seen, what
        seen.add(now)


def test_the_plans_own_fields_and_changes_elsewhere(lindenberg, heidebeek, coordinator):
    built = complete_plan(lindenberg, coordinator)
    other = complete_plan(lindenberg, coordinator, title="Een ander plan")
    before = version(built.plan)

    item_update(item=other.action_plan, by=coordinator, title="Elders")  # another plan
    person(heidebeek, "Iemand van Heidebeek")  # another municipality's actor
    assert version(built.plan) == before

    plan_update(plan=built.plan, by=coordinator, summary="Een nieuwe samenvatting")
    assert version(built.plan) != before


def test_the_public_page_is_served_from_its_cache_and_shows_a_later_change(
    client, lindenberg, coordinator, make_member
):
    ensure_college(lindenberg, make_member)
    plan = consulting_plan(lindenberg, coordinator)
    url = reverse("public-plan", kwargs={"municipality": lindenberg.slug, "pk": plan.pk})
    action_plan = plan.items["action-plan"]
    title = action_plan.title

    with CaptureQueriesContext(connection) as first:
        assert title in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert title in client.get(url).content.decode()
    assert len(second) <= len(first) - 6  # the content's queries: the fragments came cached

    put_in_state(plan, PlanState.REVISION)  # editable again, still public
    item_update(item=action_plan, by=coordinator, title="Een herwerkt actieplan")
    html = client.get(url).content.decode()
    assert "Een herwerkt actieplan" in html
    assert title not in html


def test_the_query_compiled_once_gives_what_the_orm_query_gives(lindenberg, heidebeek, coordinator):
    """The version's SQL is compiled once with stand-in ids, then run with each plan's own."""
    plans = [
        complete_plan(lindenberg, coordinator).plan,
        complete_plan(heidebeek, None).plan,
    ]
    for plan in plans:
        row = _version_query(plan.pk, plan.municipality_id)[0]
        assert version(plan) == "-".join(map(str, row))
        assert all(number > 0 for number in row[:2])  # the plan's and its goals' own history
    assert version(plans[0]) != version(plans[1])
