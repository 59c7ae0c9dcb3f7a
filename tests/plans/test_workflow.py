"""The plan's state machine (plans.workflow): every transition of the table from every state, by
every role; what ``apply`` records; which buttons ``available`` offers."""

from django.core.exceptions import PermissionDenied

import pytest

from plans.constants import PlanState
from plans.models import Plan, PlanTransition
from plans.services import plan_submit_to_college
from plans.workflow import (
    BY_NAME,
    TRANSITIONS,
    TransitionNotAllowed,
    apply,
    available,
    transitions_from,
)
from safetynet.constants import Role
from tests.plans.builders import college, complete_plan, discuss, new_plan, put_in_state

S = PlanState

# Who holds each transition's permission, from DESIGN.md's "Permissions": the coordinator
# submits, withdraws and closes; the council secretary records the council's decision.
PERMITTED = {
    "plans.submit_plan": {Role.COORDINATOR},
    "plans.withdraw_plan": {Role.COORDINATOR},
    "plans.close_consultation": {Role.COORDINATOR},
    "plans.close_plan": {Role.COORDINATOR},
    "plans.add_councildecision": {Role.COUNCIL_SECRETARY},
}

# DESIGN.md's phase diagram, edge by edge.
DIAGRAM = {
    (S.DRAFT, S.COLLEGE_REVIEW),
    (S.COLLEGE_REVIEW, S.CONSULTATION),
    (S.COLLEGE_REVIEW, S.DRAFT),
    (S.CONSULTATION, S.REVISION),
    (S.REVISION, S.COLLEGE_ADOPTION),
    (S.COLLEGE_ADOPTION, S.COUNCIL_ADOPTION),
    (S.COLLEGE_ADOPTION, S.REVISION),
    (S.COUNCIL_ADOPTION, S.STEERING),
    (S.COUNCIL_ADOPTION, S.REVISION),
    (S.STEERING, S.CLOSED),
}

PERM_TRANSITIONS = [t for t in TRANSITIONS if t.perm is not None]
DECISION_TRANSITIONS = [t for t in TRANSITIONS if t.perm is None]


def name_of(transition):
    return transition.name


@pytest.fixture
def plan(lindenberg, coordinator):
    return new_plan(lindenberg, coordinator)


def maker(transition, role_users):
    """Someone who may make the transition: a holder of its permission, or (for a decision) a
    college member, who votes."""
    if transition.perm is None:
        return role_users[Role.COLLEGE]
    return role_users[sorted(PERMITTED[transition.perm])[0]]


def state_in_database(plan):
    return Plan.objects.values_list("state", flat=True).get(pk=plan.pk)


# --- The table -----------------------------------------------------------------------------------


def test_the_table_is_the_phase_diagram_of_the_design():
    assert {(t.source, t.target) for t in TRANSITIONS} == DIAGRAM


def test_transition_names_are_unique_and_every_state_but_closed_has_a_way_out():
    assert len(BY_NAME) == len(TRANSITIONS)
    assert {state for state in S.values if not transitions_from(state)} == {S.CLOSED}


def test_only_the_college_rounds_decide_without_a_permission():
    assert {t.name for t in DECISION_TRANSITIONS} == {
        "college_approves",
        "college_rejects",
        "college_no_decision",
        "college_adopts",
        "college_rejects_adoption",
        "college_no_decision_on_adoption",
    }
    assert {t.perm for t in PERM_TRANSITIONS} == set(PERMITTED)


# --- apply(): from which state -------------------------------------------------------------------


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("transition", TRANSITIONS, ids=name_of)
def test_a_transition_leaves_only_from_its_source_state(plan, role_users, transition, state):
    put_in_state(plan, state)
    by = maker(transition, role_users)
    decision = transition.perm is None
    if state == transition.source:
        apply(plan, transition.name, by=by, as_decision=decision)
        assert plan.state == transition.target
        assert state_in_database(plan) == transition.target
        assert plan.transitions.count() == 1
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            apply(plan, transition.name, by=by, as_decision=decision)
        assert refused.value.code == "wrong_state"
        assert state_in_database(plan) == state
        assert not plan.transitions.exists()


def test_apply_reads_the_state_from_the_database_not_from_a_stale_object(plan, coordinator):
    stale = Plan.objects.get(pk=plan.pk)  # still says draft
    put_in_state(plan, S.CONSULTATION)
    with pytest.raises(TransitionNotAllowed):
        apply(stale, "submit_to_college", by=coordinator)
    assert state_in_database(plan) == S.CONSULTATION
    apply(stale, "close_consultation", by=coordinator, reason="Termijn verstreken")
    assert state_in_database(plan) == S.REVISION


# --- apply(): who --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("transition", PERM_TRANSITIONS, ids=name_of)
def test_only_the_roles_holding_its_permission_make_a_transition(
    plan, role_users, transition, role
):
    put_in_state(plan, transition.source)
    history_before = plan.history.count()
    if role in PERMITTED[transition.perm]:
        apply(plan, transition.name, by=role_users[role])
        assert state_in_database(plan) == transition.target
        return
    # Passing for a decision does not stand in for the permission either.
    for as_decision in (False, True):
        with pytest.raises(PermissionDenied):
            apply(plan, transition.name, by=role_users[role], as_decision=as_decision)
    assert state_in_database(plan) == transition.source
    assert not plan.transitions.exists()
    assert plan.history.count() == history_before


@pytest.mark.parametrize("transition", PERM_TRANSITIONS, ids=name_of)
def test_a_coordinator_of_another_municipality_makes_no_transition(
    plan, other_coordinator, transition
):
    put_in_state(plan, transition.source)
    with pytest.raises(PermissionDenied):
        apply(plan, transition.name, by=other_coordinator)
    assert state_in_database(plan) == transition.source


@pytest.mark.parametrize("transition", DECISION_TRANSITIONS, ids=name_of)
def test_a_decision_is_made_only_by_a_rounds_outcome(plan, role_users, transition):
    put_in_state(plan, transition.source)
    for role in Role.values:  # the coordinator, who may do most, included
        with pytest.raises(PermissionDenied):
            apply(plan, transition.name, by=role_users[role])
    assert state_in_database(plan) == transition.source
    assert not plan.transitions.exists()
    apply(plan, transition.name, by=role_users[Role.COLLEGE], as_decision=True)
    assert state_in_database(plan) == transition.target


# --- apply(): what it records --------------------------------------------------------------------


@pytest.mark.parametrize("transition", TRANSITIONS, ids=name_of)
def test_apply_records_who_from_to_and_why(plan, role_users, transition):
    put_in_state(plan, transition.source)
    by = maker(transition, role_users)
    record = apply(
        plan,
        transition.name,
        by=by,
        reason="Besproken op het college van 12 mei",
        as_decision=transition.perm is None,
    )
    stored = PlanTransition.objects.get(plan=plan)
    assert stored == record
    assert (stored.source, stored.target, stored.name) == (
        transition.source,
        transition.target,
        transition.name,
    )
    assert stored.by == by
    assert stored.reason == "Besproken op het college van 12 mei"
    assert stored.at is not None
    assert stored.vote_round is None

    latest = plan.history.order_by("-history_id").first()
    assert latest.state == transition.target
    assert latest.history_user == by
    assert latest.history_change_reason == transition.label
    assert stored.history.get().history_user == by


def test_apply_keeps_the_vote_round_that_opened_with_it(lindenberg, coordinator):
    built = complete_plan(lindenberg, coordinator)
    college(lindenberg, 3)
    discuss(built.plan, coordinator)
    vote_round = plan_submit_to_college(plan=built.plan, by=coordinator)
    assert built.plan.transitions.get().vote_round == vote_round


# --- available(): the buttons --------------------------------------------------------------------

BUTTONS = {
    Role.COORDINATOR: {
        S.DRAFT: ["submit_to_college"],
        S.COLLEGE_REVIEW: ["withdraw_from_college"],
        S.CONSULTATION: ["close_consultation"],
        S.REVISION: ["submit_for_adoption"],
        S.COLLEGE_ADOPTION: ["withdraw_from_adoption"],
        S.STEERING: ["close"],
    },
    Role.COUNCIL_SECRETARY: {S.COUNCIL_ADOPTION: ["council_adopts", "council_rejects"]},
}


@pytest.mark.parametrize("state", S.values)
def test_available_offers_each_role_its_buttons_and_never_a_decision(plan, role_users, state):
    put_in_state(plan, state)
    for role in Role.values:
        names = [t.name for t in available(plan, role_users[role])]
        assert names == BUTTONS.get(role, {}).get(state, []), role


def test_available_offers_nothing_to_another_municipality(plan, other_coordinator):
    assert available(plan, other_coordinator) == []
