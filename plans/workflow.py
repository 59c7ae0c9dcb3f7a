"""The plan's state machine: DESIGN.md's phase diagram as one table of allowed transitions.

A plain table rather than django-fsm-2: every transition here carries preconditions with
messages for the user, side effects in other tables (a vote round opened or closed, a council
decision recorded) and a permission that must be checked on the municipality — all of which
live in the services anyway, and django-fsm-2 would not enforce the permission by itself
(PITFALLS.md). The table stays readable on one screen, and the tests walk it exhaustively.

``apply()`` is the only code that changes ``Plan.state``: it locks the plan row, checks that
the transition leaves the plan's current state and that the person may make it, and records
who, when, from, to and why (a :class:`~plans.models.PlanTransition` and the plan's history)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plans.constants import PlanState
from plans.models import Plan, PlanTransition
from safetynet.concurrency import lock_row
from safetynet.history import validated_save
from safetynet.permissions import has_perm

S = PlanState


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    # The permission (on the plan's municipality) of who makes it; None: made by a decision
    # (a vote round's outcome), never by a button.
    perm: str | None
    label: str  # English source text: stored as the history's reason, translated when shown

    @property
    def title(self) -> str:
        return _(self.label)


TRANSITIONS = [
    # Phase 1: the action programme, approved online by the college.
    Transition("submit_to_college", S.DRAFT, S.COLLEGE_REVIEW, "plans.submit_plan",
               gettext_noop("Submit to the college")),
    Transition("withdraw_from_college", S.COLLEGE_REVIEW, S.DRAFT, "plans.withdraw_plan",
               gettext_noop("Withdraw from the college")),
    Transition("college_approves", S.COLLEGE_REVIEW, S.CONSULTATION, None,
               gettext_noop("Approved by the college")),
    Transition("college_rejects", S.COLLEGE_REVIEW, S.DRAFT, None,
               gettext_noop("Rejected by the college")),
    Transition("college_no_decision", S.COLLEGE_REVIEW, S.DRAFT, None,
               gettext_noop("No decision by the college")),
    # Phase 2: the public consultation.
    Transition("close_consultation", S.CONSULTATION, S.REVISION, "plans.close_consultation",
               gettext_noop("Close the consultation")),
    # Phase 3: adaptation, adoption by college and council.
    Transition("submit_for_adoption", S.REVISION, S.COLLEGE_ADOPTION, "plans.submit_plan",
               gettext_noop("Submit for adoption")),
    Transition("withdraw_from_adoption", S.COLLEGE_ADOPTION, S.REVISION, "plans.withdraw_plan",
               gettext_noop("Withdraw from the college")),
    Transition("college_adopts", S.COLLEGE_ADOPTION, S.COUNCIL_ADOPTION, None,
               gettext_noop("Adopted by the college")),
    Transition("college_rejects_adoption", S.COLLEGE_ADOPTION, S.REVISION, None,
               gettext_noop("Rejected by the college")),
    Transition("college_no_decision_on_adoption", S.COLLEGE_ADOPTION, S.REVISION, None,
               gettext_noop("No decision by the college")),
    Transition("council_adopts", S.COUNCIL_ADOPTION, S.STEERING, "plans.add_councildecision",
               gettext_noop("Adopted by the council")),
    Transition("council_rejects", S.COUNCIL_ADOPTION, S.REVISION, "plans.add_councildecision",
               gettext_noop("Not adopted by the council")),
    # Phase 4: steering and follow-up.
    Transition("close", S.STEERING, S.CLOSED, "plans.close_plan",
               gettext_noop("Close the plan")),
]  # fmt: skip

BY_NAME = {t.name: t for t in TRANSITIONS}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


def available(plan, user) -> list[Transition]:
    """The transitions this person may start from the plan's state (buttons, not decisions)."""
    return [
        t
        for t in transitions_from(plan.state)
        if t.perm is not None and has_perm(user, t.perm, plan)
    ]


class TransitionNotAllowed(ValidationError):
    pass


def apply(
    plan: Plan, name: str, *, by, reason: str = "", vote_round=None, as_decision=False
) -> PlanTransition:
    """Move the plan along transition ``name``. Call inside the service's transaction, after
    its own preconditions. ``as_decision``: the outcome of a vote round, which has no
    permission of its own (the round's rules decided)."""
    transition = BY_NAME[name]
    lock_row(plan)
    plan.refresh_from_db(fields=["state"])
    if transition.source != plan.state:
        raise TransitionNotAllowed(
            _("The plan is in “%(state)s”: “%(transition)s” is not possible now.")
            % {"state": plan.get_state_display(), "transition": transition.title},
            code="wrong_state",
        )
    if transition.perm is None and not as_decision:
        raise PermissionDenied("Only a vote round's outcome makes this transition.")
    if transition.perm is not None and not has_perm(by, transition.perm, plan):
        raise PermissionDenied
    plan.state = transition.target
    validated_save(plan, by, transition.label)
    record = PlanTransition(
        plan=plan,
        source=transition.source,
        target=transition.target,
        name=transition.name,
        by=by if getattr(by, "is_authenticated", False) else None,
        at=timezone.now(),
        reason=reason,
        vote_round=vote_round,
    )
    return validated_save(record, by, transition.label)
