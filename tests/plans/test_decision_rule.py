"""The college's decision rule (plans.decision.decide), walked exhaustively for colleges of one to
seven members against an oracle written here from DESIGN.md's words, not from the code:

- quorum: more than half of the electorate took part (cast any vote, abstentions included);
- approved when approvals outnumber rejections, rejected when they are fewer;
- a tie is decided by the presiding chair's vote: approved only when the chair approved;
- no quorum: no decision."""

import itertools
from math import comb

import pytest

from plans.constants import RoundStatus, VoteChoice
from plans.decision import decide

A, R, X = VoteChoice.APPROVE, VoteChoice.REJECT, VoteChoice.ABSTAIN
ELECTORATES = range(1, 8)


def oracle(electorate, approvals, rejections, abstentions, chair_choice):
    voters = approvals + rejections + abstentions
    if not voters * 2 > electorate:
        return RoundStatus.NO_DECISION
    if approvals != rejections:
        return RoundStatus.APPROVED if approvals > rejections else RoundStatus.REJECTED
    return RoundStatus.APPROVED if chair_choice == A else RoundStatus.REJECTED


def ballots(electorate):
    """Every multiset of votes a college of ``electorate`` members can cast (members who did
    not vote left out), with every chair's choice consistent with it: the chair cast one of the
    choices present, or the chair did not vote (None; also a round without a chair)."""
    for approvals in range(electorate + 1):
        for rejections in range(electorate + 1 - approvals):
            for abstentions in range(electorate + 1 - approvals - rejections):
                counts = {A: approvals, R: rejections, X: abstentions}
                chair_choices = [None, *(choice for choice, n in counts.items() if n)]
                for chair_choice in chair_choices:
                    yield approvals, rejections, abstentions, chair_choice


@pytest.mark.parametrize("electorate", ELECTORATES)
def test_the_rule_agrees_with_the_oracle_for_every_possible_vote(electorate):
    checked, wrong = 0, []
    for approvals, rejections, abstentions, chair_choice in ballots(electorate):
        votes = [A] * approvals + [R] * rejections + [X] * abstentions
        expected = oracle(electorate, approvals, rejections, abstentions, chair_choice)
        # The order the votes come in, or their being plain strings, makes no difference.
        for choices in (votes, votes[::-1], (str(v) for v in votes)):
            outcome = decide(electorate, choices, chair_choice)
            if outcome != expected:
                wrong.append((approvals, rejections, abstentions, chair_choice, outcome))
            checked += 1
    assert wrong == []
    # Every multiset of at most ``electorate`` votes was walked, in three orders each.
    assert checked >= 3 * comb(electorate + 3, 3)


@pytest.mark.parametrize("electorate", ELECTORATES)
def test_every_outcome_is_reachable_and_no_other(electorate):
    outcomes = {
        decide(electorate, [A] * a + [R] * r + [X] * x, chair)
        for a, r, x, chair in ballots(electorate)
    }
    expected = {RoundStatus.NO_DECISION, RoundStatus.APPROVED, RoundStatus.REJECTED}
    assert outcomes == expected


def test_five_members_two_against_two_and_the_chair_approving_is_approved():
    assert decide(5, [A, A, R, R], chair_choice=A) == RoundStatus.APPROVED


def test_five_members_two_against_two_and_the_chair_rejecting_is_rejected():
    assert decide(5, [A, A, R, R], chair_choice=R) == RoundStatus.REJECTED


def test_a_tie_without_the_chairs_vote_is_rejected():
    assert decide(5, [A, R, X], chair_choice=None) == RoundStatus.REJECTED
    assert decide(5, [A, R, X], chair_choice=X) == RoundStatus.REJECTED


def test_three_of_seven_voting_is_no_decision_even_when_unanimous():
    assert decide(7, [A, A, A], chair_choice=A) == RoundStatus.NO_DECISION


def test_four_of_seven_voting_make_the_quorum():
    assert decide(7, [A, A, A, R], chair_choice=A) == RoundStatus.APPROVED


def test_half_of_an_even_college_is_no_quorum():
    assert decide(6, [A, A, A], chair_choice=A) == RoundStatus.NO_DECISION
    assert decide(6, [A, A, A, X], chair_choice=A) == RoundStatus.APPROVED


def test_abstentions_count_for_the_quorum_but_not_for_the_majority():
    assert decide(5, [A, X, X], chair_choice=X) == RoundStatus.APPROVED
    assert decide(5, [R, X, X], chair_choice=X) == RoundStatus.REJECTED
    assert decide(5, [X, X, X], chair_choice=X) == RoundStatus.REJECTED


def test_a_college_of_one_decides_alone():
    assert decide(1, [A], chair_choice=A) == RoundStatus.APPROVED
    assert decide(1, [], chair_choice=None) == RoundStatus.NO_DECISION


@pytest.mark.parametrize(
    ("electorate", "choices"),
    [
        (0, []),
        (0, [A]),
        (-3, []),
        (2, [A, A, R]),
        (5, [A] * 6),
    ],
)
def test_an_impossible_round_is_refused(electorate, choices):
    with pytest.raises(ValueError, match="electorate"):
        decide(electorate, choices, None)


def test_the_votes_may_come_as_any_iterable():
    votes = itertools.chain([A, A], [R])
    assert decide(3, votes, chair_choice=R) == RoundStatus.APPROVED
