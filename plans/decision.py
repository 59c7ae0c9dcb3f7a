"""The college's decision rule, as one pure function (DESIGN.md): quorum is more than half of
the electorate; a proposal is approved when approvals outnumber rejections; a tie is decided by
the chair's vote (Belgian municipal practice: "bij staking van stemmen is de stem van de
voorzitter doorslaggevend"); without quorum there is no decision.

Every member who cast a vote counts toward the quorum, abstentions included: an abstaining
member took part in the vote."""

from collections.abc import Iterable

from plans.constants import RoundStatus, VoteChoice


def decide(electorate: int, choices: Iterable[str], chair_choice: str | None) -> RoundStatus:
    """The outcome of a round with ``electorate`` members, the ``choices`` cast
    (``VoteChoice`` values, one per member who voted) and the presiding chair's own choice
    (None when the chair did not vote)."""
    choices = list(choices)
    if not set(choices) <= set(VoteChoice.values) or (
        chair_choice is not None and chair_choice not in choices
    ):
        raise ValueError("Unknown choices, or a chair's choice that is not among the votes.")
    if electorate <= 0 or len(choices) > electorate:
        raise ValueError("A round has a positive electorate and at most one vote per member.")
    if len(choices) * 2 <= electorate:
        return RoundStatus.NO_DECISION
    approvals = choices.count(VoteChoice.APPROVE)
    rejections = choices.count(VoteChoice.REJECT)
    if approvals > rejections:
        return RoundStatus.APPROVED
    if approvals < rejections:
        return RoundStatus.REJECTED
    if chair_choice == VoteChoice.APPROVE:
        return RoundStatus.APPROVED
    return RoundStatus.REJECTED
