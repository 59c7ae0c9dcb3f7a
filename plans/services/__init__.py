"""Domain actions on plans: their content (``content``) and their decisions (``decisions``)."""

from .content import (
    item_add,
    item_move,
    item_remove,
    item_update,
    plan_create,
    plan_update,
)
from .decisions import (
    consultation_close,
    consultation_set_dates,
    council_decision_record,
    discussion_record,
    plan_close,
    plan_submit_for_adoption,
    plan_submit_to_college,
    plan_withdraw,
    round_close,
    round_designate_acting_chair,
    round_set_reference,
    submission_problems,
    vote_cast,
)

__all__ = [
    "consultation_close",
    "consultation_set_dates",
    "council_decision_record",
    "discussion_record",
    "item_add",
    "item_move",
    "item_remove",
    "item_update",
    "plan_close",
    "plan_create",
    "plan_submit_for_adoption",
    "plan_submit_to_college",
    "plan_update",
    "plan_withdraw",
    "round_close",
    "round_designate_acting_chair",
    "round_set_reference",
    "submission_problems",
    "vote_cast",
]
