"""What "the content" of a plan is (plans.content): the canonical snapshot the college votes on,
its SHA-256, what changed between two snapshots and the budget they hold."""

import contextlib
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from plans.constants import ActionPlanStatus, Availability, PlanState, ResourceKind
from plans.content import (
    FIELD_LABELS,
    budget,
    canonical,
    changes,
    content_hash,
    current_hash,
    phenomena_codes,
    snapshot,
    stored,
)
from plans.models import Action, Resource
from plans.services import item_add, item_move, item_remove, item_update, plan_update
from tests.plans import builders
from tests.plans.builders import complete_plan, organisation, phenomenon, put_in_state


@pytest.fixture
def built(lindenberg, coordinator):
    return complete_plan(lindenberg, coordinator)


def label(field):
    """A changed field as ``changes()`` names it: by its label, in the active language."""
    return str(FIELD_LABELS[field])


def first_action_plan(data):
    return data["goals"][0]["goals"][0]["action_plans"][0]


# --- The snapshot --------------------------------------------------------------------------------


def test_the_snapshot_holds_the_plan_its_goals_and_what_hangs_under_them(built):
    data = snapshot(built.plan)
    assert data["plan"]["title"] == builders.PLAN_TITLE
    assert (data["plan"]["period_start"], data["plan"]["period_end"]) == (2026, 2031)
    [strategic] = data["goals"]
    assert strategic["title"] == "Minder woninginbraken"
    assert strategic["phenomena"] == ["property_crime"]
    [operational] = strategic["goals"]
    assert operational["phenomena"] == ["nuisance", "property_crime"]  # sorted by code
    action_plan = first_action_plan(data)
    assert action_plan["title"] == builders.ACTION_PLAN_TITLE
    assert action_plan["promotor"] == "Ingrid Wouters"
    assert [r["text"] for r in action_plan["expected_results"]] == [built.result.text]
    assert action_plan["expected_results"][0]["indicators"][0]["target"] == "6"
    assert [a["title"] for a in action_plan["actions"]] == ["Infoavond in het gemeentehuis"]
    assert [(r["kind"], r["amount"]) for r in action_plan["resources"]] == [("budget", "1500")]


def test_the_snapshot_leaves_out_what_moves_during_steering(built, coordinator):
    item_update(item=built.action_plan, by=coordinator, status=ActionPlanStatus.RUNNING)
    item_update(item=built.action, by=coordinator, done=True)
    data = snapshot(built.plan)
    action_plan = first_action_plan(data)
    assert "status" not in action_plan
    assert "done" not in action_plan["actions"][0]
    assert "state" not in data["plan"]
    assert "archived_at" not in json.dumps(data, default=str)
    assert ActionPlanStatus.RUNNING not in canonical(data).decode()


def test_archived_items_are_left_out_of_the_snapshot(built, coordinator):
    second = item_add(
        item=Action(action_plan=built.action_plan, title="Folder in de bus"), by=coordinator
    )
    put_in_state(built.plan, PlanState.REVISION)
    item_remove(item=built.action, by=coordinator)
    actions = first_action_plan(snapshot(built.plan))["actions"]
    assert [a["id"] for a in actions] == [second.pk]

    item_remove(item=built.operational_goal, by=coordinator)
    data = snapshot(built.plan)
    assert data["goals"][0]["goals"] == []
    assert "Folder in de bus" not in canonical(data).decode()


def test_the_snapshot_takes_a_fixed_number_of_queries(built, coordinator):
    with CaptureQueriesContext(connection) as small:
        snapshot(built.plan)
    for title in ("Cameratoezicht stationsbuurt", "Fietsgraveeracties", "Hangjongeren"):
        more = builders.action_plan(built.operational_goal, coordinator, title)
        builders.expected_result(more, coordinator)
        builders.budget(more, coordinator)
    builders.goal(built.plan, coordinator, "Veilig verkeer", phenomena=("traffic_safety",))
    with CaptureQueriesContext(connection) as large:
        snapshot(built.plan)
    assert len(large) == len(small)


# --- Canonical JSON and the hash -----------------------------------------------------------------


def test_canonical_json_sorts_keys_without_spaces_in_utf8():
    assert canonical({"b": 1, "a": "Één"}) == '{"a":"Één","b":1}'.encode()
    assert canonical({"b": 1, "a": "x"}) == canonical({"a": "x", "b": 1})


def test_the_hash_is_the_sha256_of_the_canonical_json(built):
    data = snapshot(built.plan)
    assert content_hash(data) == hashlib.sha256(canonical(data)).hexdigest()
    assert current_hash(built.plan) == content_hash(data)
    assert len(content_hash(data)) == 64


def test_the_hash_does_not_depend_on_the_order_rows_come_from_the_database(
    built, lindenberg, coordinator
):
    police = organisation(lindenberg, "Lokale politie Lindenberg")
    caw = organisation(lindenberg, "CAW Oost-Brabant")
    item_update(item=built.action_plan, by=coordinator, partners=[police, caw])
    item_update(
        item=built.goal, by=coordinator, phenomena=[phenomenon("drugs"), phenomenon("nuisance")]
    )
    before = current_hash(built.plan)
    assert snapshot(built.plan) == snapshot(built.plan)

    # The same links made again in the other order: their rows now come back the other way.
    item_update(item=built.action_plan, by=coordinator, partners=[])
    item_update(item=built.goal, by=coordinator, phenomena=[])
    assert current_hash(built.plan) != before
    item_update(item=built.action_plan, by=coordinator, partners=[caw, police])
    item_update(
        item=built.goal, by=coordinator, phenomena=[phenomenon("nuisance"), phenomenon("drugs")]
    )
    assert current_hash(built.plan) == before


def test_moving_an_item_changes_the_hash_and_moving_it_back_restores_it(built, coordinator):
    item_add(item=Action(action_plan=built.action_plan, title="Folder in de bus"), by=coordinator)
    before = current_hash(built.plan)
    item_move(item=built.action, direction=+1, by=coordinator)
    assert current_hash(built.plan) != before
    built.action.refresh_from_db()
    item_move(item=built.action, direction=-1, by=coordinator)
    assert current_hash(built.plan) == before


def test_1500_and_1500_00_are_the_same_amount(built, coordinator):
    before = current_hash(built.plan)
    item_update(item=built.resource, by=coordinator, amount=Decimal("1500.00"))
    assert current_hash(built.plan) == before
    assert first_action_plan(snapshot(built.plan))["resources"][0]["amount"] == "1500"

    item_update(item=built.resource, by=coordinator, amount=Decimal("1500.50"))
    assert current_hash(built.plan) != before
    assert first_action_plan(snapshot(built.plan))["resources"][0]["amount"] == "1500.5"


def test_an_indicator_baseline_of_2_00_reads_as_2(built, coordinator):
    item_update(item=built.indicator, by=coordinator, baseline=Decimal("2.00"))
    indicator = first_action_plan(snapshot(built.plan))["expected_results"][0]["indicators"][0]
    assert indicator["baseline"] == "2"


@pytest.mark.parametrize(
    ("item", "field", "value"),
    [
        ("plan", "title", "Veiligheidsplan Lindenberg 2026–2031 (herzien)"),
        ("goal", "title", "Minder inbraken in woningen"),
        ("operational_goal", "title", "Meer en betere buurtpreventie"),
        ("action_plan", "title", "BIN's in elke wijk"),
        ("result", "text", "Zes actieve BIN's"),
        ("indicator", "name", "Aantal leden van een BIN"),
        ("action", "title", "Infoavond in de bibliotheek"),
        ("resource", "description", "Drukwerk"),
    ],
)
def test_a_changed_text_changes_the_hash(built, coordinator, item, field, value):
    before = current_hash(built.plan)
    obj = getattr(built, item)
    if item == "plan":
        plan_update(plan=obj, by=coordinator, **{field: value})
    else:
        item_update(item=obj, by=coordinator, **{field: value})
    assert current_hash(built.plan) != before


def test_an_action_plans_status_and_an_actions_done_leave_the_hash_alone(built, coordinator):
    before = current_hash(built.plan)
    item_update(item=built.action_plan, by=coordinator, status=ActionPlanStatus.DONE)
    item_update(item=built.action, by=coordinator, done=True)
    built.action_plan.refresh_from_db()
    built.action.refresh_from_db()
    assert (built.action_plan.status, built.action.done) == (ActionPlanStatus.DONE, True)
    assert current_hash(built.plan) == before


def test_stored_gives_the_snapshot_as_a_json_field_does_with_the_same_hash(built):
    data = snapshot(built.plan)
    kept = stored(data)
    assert content_hash(kept) == content_hash(data)
    assert first_action_plan(kept)["start"] == "2026-01-01"  # a date became text
    assert stored(kept) == kept
    assert json.loads(json.dumps(kept)) == kept


# --- What changed, and the budget ----------------------------------------------------------------


def test_changes_reports_what_was_added_removed_and_changed(built, lindenberg, coordinator):
    old = stored(snapshot(built.plan))
    item_update(
        item=built.action_plan,
        by=coordinator,
        title="BIN's in elke wijk",
        partners=[organisation(lindenberg, "Lokale politie Lindenberg")],
    )
    item_update(item=built.goal, by=coordinator, phenomena=[phenomenon("drugs")])
    added = item_add(
        item=Action(action_plan=built.action_plan, title="Folder in de bus"), by=coordinator
    )
    item_remove(item=built.resource, by=coordinator)
    new = stored(snapshot(built.plan))

    found = {(c["kind"], c["action"], c["label"]): c["fields"] for c in changes(old, new)}
    assert found == {
        ("goal", "changed", "Minder woninginbraken"): [label("phenomena")],
        ("action_plan", "changed", "BIN's in elke wijk"): [label("partners"), label("title")],
        ("action", "added", added.title): [],
        ("resource", "removed", "budget"): [],
    }
    # In the new snapshot's order, what was removed last.
    assert changes(old, new)[-1]["action"] == "removed"


def test_no_changes_against_itself_or_without_an_older_version(built):
    data = stored(snapshot(built.plan))
    assert changes(data, data) == []
    assert changes(None, data) == []


def test_changes_reports_a_changed_plan_summary(built, coordinator):
    old = stored(snapshot(built.plan))
    plan_update(plan=built.plan, by=coordinator, summary="Een veilige gemeente voor iedereen.")
    assert changes(old, stored(snapshot(built.plan))) == [
        {
            "kind": "plan",
            "action": "changed",
            "label": builders.PLAN_TITLE,
            "fields": [label("summary")],
        }
    ]


def test_budget_totals_what_is_available_and_what_is_still_required(built, coordinator):
    builders.budget(built.action_plan, coordinator, "2500.50", Availability.REQUIRED)
    builders.budget(built.action_plan, coordinator, "99.5", Availability.AVAILABLE)
    item_add(
        item=Resource(
            action_plan=built.action_plan,
            kind=ResourceKind.STAFF,
            amount=Decimal("0.5"),
            unit="FTE",
            availability=Availability.AVAILABLE,
        ),
        by=coordinator,
    )
    totals = budget(stored(snapshot(built.plan)))
    assert totals == {"available": Decimal("1599.5"), "required": Decimal("2500.50")}


def test_an_archived_budget_is_not_counted(built, coordinator):
    extra = builders.budget(built.action_plan, coordinator, "800", Availability.REQUIRED)
    put_in_state(built.plan, PlanState.REVISION)
    item_remove(item=extra, by=coordinator)
    assert budget(stored(snapshot(built.plan)))["required"] == Decimal(0)


def test_the_phenomena_of_a_snapshot(built):
    assert phenomena_codes(stored(snapshot(built.plan))) == {"property_crime", "nuisance"}


# --- Found by these tests: known bugs ------------------------------------------------------------


def test_an_action_plan_moved_to_another_goal_shows_in_the_changes(built, coordinator):
    old = stored(snapshot(built.plan))
    item_update(item=built.action_plan, by=coordinator, goal=built.goal)  # up to the strategic
    new = stored(snapshot(built.plan))
    assert content_hash(new) != content_hash(old)
    assert [(c["kind"], c["action"]) for c in changes(old, new)] == [("action_plan", "changed")]


def test_no_current_action_plan_ever_drops_out_of_the_snapshot(built, coordinator):
    traffic = builders.goal(built.plan, coordinator, "Veilig verkeer")
    with contextlib.suppress(ValidationError):  # refusing the move is a fine answer too
        item_update(item=built.goal, by=coordinator, parent=traffic)
    assert builders.ACTION_PLAN_TITLE in canonical(snapshot(built.plan)).decode()
