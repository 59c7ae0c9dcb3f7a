"""Decisions taken at once never make two decisions, lose a vote or fail with a database error
(DESIGN.md: "two clicks at once never make two decisions"). PostgreSQL only: row locks
(``select_for_update``) do nothing on SQLite, where writers queue for the whole database.

Every thread has its own database connection (Django's are per thread) and closes it when done."""

import datetime
import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

import pytest

from actors.data import ensure_shipped as ensure_actor_kinds
from plans import services
from plans.constants import PlanState, RoundStatus, VoteChoice
from plans.data import ensure_shipped as ensure_phenomena
from plans.models import Plan, PlanTransition, RoundElector, Vote, VoteRound
from plans.services import plan_withdraw, round_close, round_designate_acting_chair, vote_cast
from safetynet.constants import Role
from safetynet.models import User
from tests.plans.pages_support import ready_plan, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _shipped_catalogues(postgres):
    """A transactional test flushes the tables after it: the shipped rows come back here."""
    ensure_actor_kinds()
    ensure_phenomena()


def at_once(*calls):
    """Run the calls in threads released together; ``[(result, error)]`` in the calls' order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = (call(), None)
        except Exception as error:  # collected and asserted by the caller
            outcomes[index] = (None, error)
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return outcomes


def errors_of(outcomes):
    return [error for _result, error in outcomes if error is not None]


def fresh(model, pk):
    """The row as another request would load it (threads share no instances)."""
    return lambda: model.objects.get(pk=pk)


def decisions(plan, vote_round):
    return PlanTransition.objects.filter(plan=plan, vote_round=vote_round).exclude(
        name__startswith="submit"
    )


def decided_records(vote_round):
    return VoteRound.history.filter(id=vote_round.pk, history_change_reason="Vote round decided")


def test_fifty_members_voting_at_once_lose_no_vote_and_decide_once(
    lindenberg, coordinator, make_member
):
    college = [make_member(Role.COLLEGE, is_chair=i == 0) for i in range(50)]
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    assert RoundElector.objects.filter(vote_round=vote_round).count() == 50
    choices = [VoteChoice.APPROVE] * 30 + [VoteChoice.REJECT] * 15 + [VoteChoice.ABSTAIN] * 5

    def voter(member_pk, choice):
        return lambda: vote_cast(
            vote_round=VoteRound.objects.get(pk=vote_round.pk),
            member=User.objects.get(pk=member_pk),
            choice=choice,
            comment=f"Stem van {member_pk}",
        )

    outcomes = at_once(*[voter(m.pk, c) for m, c in zip(college, choices, strict=True)])

    assert errors_of(outcomes) == []
    assert Vote.objects.filter(vote_round=vote_round).count() == 50
    assert set(Vote.objects.values_list("member", flat=True)) == {m.pk for m in college}
    assert Vote.objects.filter(choice=VoteChoice.APPROVE).count() == 30
    vote_round.refresh_from_db()
    plan.refresh_from_db()
    assert vote_round.status == RoundStatus.APPROVED
    assert plan.state == PlanState.CONSULTATION
    assert decided_records(vote_round).count() == 1
    assert list(decisions(plan, vote_round).values_list("name", flat=True)) == ["college_approves"]


def test_a_double_click_on_vote_stores_one_vote(lindenberg, coordinator, make_member):
    chair, member = make_member(Role.COLLEGE, is_chair=True), make_member(Role.COLLEGE)
    make_member(Role.COLLEGE)  # a third, so that the round stays open
    vote_round = submit(ready_plan(lindenberg, coordinator), coordinator)

    def click():
        return vote_cast(
            vote_round=VoteRound.objects.get(pk=vote_round.pk),
            member=User.objects.get(pk=member.pk),
            choice=VoteChoice.REJECT,
        )

    outcomes = at_once(click, click)

    assert errors_of(outcomes) == []
    vote = Vote.objects.get(vote_round=vote_round)  # one row
    assert vote.member_id == member.pk
    assert vote.history.count() == 2  # cast, then changed: every vote is in history
    assert chair.pk != member.pk


@pytest.fixture
def expired_round(lindenberg, coordinator, make_member):
    """A round with quorum whose deadline has passed: the chair (or acting chair) closes it."""
    chair = make_member(Role.COLLEGE, is_chair=True, username="chair")
    acting = make_member(Role.COLLEGE, username="acting")
    make_member(Role.COLLEGE, username="third")
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    vote_cast(vote_round=vote_round, member=chair, choice=VoteChoice.APPROVE)
    vote_cast(vote_round=vote_round, member=acting, choice=VoteChoice.APPROVE)
    round_designate_acting_chair(vote_round=vote_round, user=acting, by=coordinator)
    past = timezone.now() - datetime.timedelta(minutes=5)
    VoteRound.objects.filter(pk=vote_round.pk).update(deadline=past)
    return {"plan": plan, "vote_round": vote_round, "chair": chair, "acting": acting}


def closer(vote_round, user):
    return lambda: round_close(
        vote_round=VoteRound.objects.get(pk=vote_round.pk), by=User.objects.get(pk=user.pk)
    )


def test_the_acting_chair_closing_twice_at_once_decides_once(expired_round):
    plan, vote_round, acting = (expired_round[k] for k in ("plan", "vote_round", "acting"))

    outcomes = at_once(closer(vote_round, acting), closer(vote_round, acting))

    errors = errors_of(outcomes)
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "closed"
    vote_round.refresh_from_db()
    assert vote_round.status == RoundStatus.APPROVED
    assert decided_records(vote_round).count() == 1
    assert decisions(plan, vote_round).count() == 1
    assert Plan.objects.get(pk=plan.pk).state == PlanState.CONSULTATION


def test_the_chair_and_the_acting_chair_closing_at_once_decide_once(expired_round):
    """Only the acting chair presides: the chair is refused, whoever comes first."""
    plan, vote_round = expired_round["plan"], expired_round["vote_round"]
    chair, acting = expired_round["chair"], expired_round["acting"]

    outcomes = at_once(closer(vote_round, chair), closer(vote_round, acting))

    chair_result, chair_error = outcomes[0]
    assert outcomes[1][1] is None  # the acting chair closed it
    assert chair_result is None
    assert isinstance(chair_error, PermissionDenied) or (
        isinstance(chair_error, ValidationError) and chair_error.code == "closed"
    )
    assert decided_records(vote_round).count() == 1
    transition = decisions(plan, vote_round).get()
    assert transition.by_id == acting.pk


def test_the_chair_closing_twice_at_once_decides_once(lindenberg, coordinator, make_member):
    chair = make_member(Role.COLLEGE, is_chair=True)
    others = [make_member(Role.COLLEGE) for _ in range(2)]
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    vote_cast(vote_round=vote_round, member=others[0], choice=VoteChoice.REJECT)
    vote_cast(vote_round=vote_round, member=others[1], choice=VoteChoice.REJECT)
    VoteRound.objects.filter(pk=vote_round.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )

    outcomes = at_once(closer(vote_round, chair), closer(vote_round, chair))

    errors = errors_of(outcomes)
    assert [(type(e), e.code) for e in errors] == [(ValidationError, "closed")]
    vote_round.refresh_from_db()
    assert vote_round.status == RoundStatus.REJECTED
    assert decided_records(vote_round).count() == 1
    assert list(decisions(plan, vote_round).values_list("name", flat=True)) == ["college_rejects"]
    assert Plan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_two_coordinators_submitting_at_once_open_one_round(lindenberg, make_member):
    first = make_member(Role.COORDINATOR)
    second = make_member(Role.COORDINATOR)
    college = [make_member(Role.COLLEGE, is_chair=i == 0) for i in range(3)]
    plan = ready_plan(lindenberg, first)
    deadline = timezone.now() + datetime.timedelta(days=7)

    def submitter(user):
        return lambda: services.plan_submit_to_college(
            plan=Plan.objects.get(pk=plan.pk), by=User.objects.get(pk=user.pk), deadline=deadline
        )

    outcomes = at_once(submitter(first), submitter(second))

    errors = errors_of(outcomes)
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "wrong_state"  # refused with a message, not a database error
    vote_round = VoteRound.objects.get(plan=plan)  # one round
    assert vote_round.electors.count() == len(college)
    assert PlanTransition.objects.filter(plan=plan, name="submit_to_college").count() == 1
    assert Plan.objects.get(pk=plan.pk).state == PlanState.COLLEGE_REVIEW


def test_the_last_vote_and_a_withdrawal_at_once_fail_neither_with_a_database_error(
    lindenberg, coordinator, make_member, monkeypatch
):
    """The interleaving is forced: the last vote has locked the round when the withdrawal locks
    the plan. One of them must win and the other be refused (the round has closed, or the plan
    is no longer before the college)."""
    chair = make_member(Role.COLLEGE, is_chair=True)
    member = make_member(Role.COLLEGE)
    plan = ready_plan(lindenberg, coordinator)
    vote_round = submit(plan, coordinator)
    vote_cast(vote_round=vote_round, member=chair, choice=VoteChoice.APPROVE)

    round_locked, plan_locked = threading.Event(), threading.Event()
    decide, check_may = services.decisions._decide, services.decisions._check_may

    def decide_after_the_withdrawal_locked_the_plan(*args, **kwargs):
        round_locked.set()
        plan_locked.wait(timeout=10)
        return decide(*args, **kwargs)

    def check_may_noting_the_plan_lock(plan, name, by):
        if name.startswith("withdraw"):
            plan_locked.set()
        return check_may(plan, name, by)

    monkeypatch.setattr(services.decisions, "_decide", decide_after_the_withdrawal_locked_the_plan)
    monkeypatch.setattr(services.decisions, "_check_may", check_may_noting_the_plan_lock)

    def last_vote():
        return vote_cast(
            vote_round=VoteRound.objects.get(pk=vote_round.pk),
            member=User.objects.get(pk=member.pk),
            choice=VoteChoice.APPROVE,
        )

    def withdrawal():
        round_locked.wait(timeout=10)
        return plan_withdraw(
            plan=Plan.objects.get(pk=plan.pk),
            by=User.objects.get(pk=coordinator.pk),
            reason="Terug naar de kerngroep",
        )

    outcomes = at_once(last_vote, withdrawal)

    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    vote_round.refresh_from_db()
    assert vote_round.status in (RoundStatus.APPROVED, RoundStatus.WITHDRAWN)
    assert PlanTransition.objects.filter(plan=plan).count() == 2  # submitted, then one outcome
