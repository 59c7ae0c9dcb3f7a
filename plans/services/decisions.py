"""Moving a plan through its phases: submitting it, the college's online vote rounds, the
consultation's dates and closing, the council's decision, closing the plan.

Each function runs in one transaction; the plan's state changes only through
``plans.workflow.apply`` (plan row locked, who/when/from/to/why recorded). E-mails leave after
the commit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plans import workflow
from plans.constants import PlanState, RoundKind, RoundStatus, VoteChoice
from plans.content import content_hash, content_queryset, snapshot, stored
from plans.decision import decide
from plans.documents import adopted_document
from plans.models import CouncilDecision, Discussion, Plan, RoundElector, Vote, VoteRound
from plans.services.consultation import (
    absolute_url,
    consultation_closed,
    consultation_opened,
    unanswered,
)
from plans.services.steering import evaluation_problems
from safetynet.concurrency import lock_row
from safetynet.constants import Role
from safetynet.history import validated_save as _save
from safetynet.models import Membership
from safetynet.permissions import has_perm

DEFAULT_VOTING_DAYS = 14

NOT_DISCUSSED = gettext_noop(
    "The core group has not discussed this version of the plan: record the agenda item of a "
    "core group meeting where it was discussed and decided on."
)
NO_ACTION_PLANS = gettext_noop("The plan has no action plans yet: add at least one.")
NO_COLLEGE = gettext_noop(
    "The municipality has no college members: the municipal admin gives the college role first."
)
DOCUMENT_PENDING = gettext_noop(
    "The document to adopt is still being prepared: vote once you can read it."
)


# --- The kerngroep's discussion ----------------------------------------------------------------


@transaction.atomic
def discussion_record(*, plan: Plan, agenda_item, by, goal=None, action_plan=None) -> Discussion:
    """The kerngroep discussed the plan (a goal, an action plan) at ``agenda_item``: the current
    version's hash is kept with it."""
    if agenda_item.meeting.municipality_id != plan.municipality_id:
        raise ValidationError({"agenda_item": _("Choose an agenda item of this municipality.")})
    if agenda_item.meeting.core_group_id is None:
        raise ValidationError({"agenda_item": _("Choose an agenda item of the core group.")})
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    if action_plan is not None and action_plan.goal.plan_id != plan.pk:
        raise ValidationError({"action_plan": _("Choose an action plan of this plan.")})
    discussion = Discussion(
        plan=plan,
        goal=goal,
        action_plan=action_plan,
        agenda_item=agenda_item,
        content_hash=content_hash(snapshot(plan)),
    )
    return _save(discussion, by, gettext_noop("Discussed in the core group"))


def _discussed(plan: Plan, current: str) -> bool:
    """A kerngroep decision recorded on an agenda item where this very version was discussed."""
    return Discussion.objects.filter(
        plan=plan, content_hash=current, agenda_item__decisions__isnull=False
    ).exists()


# --- Preconditions -----------------------------------------------------------------------------


def submission_problems(plan: Plan) -> list[str]:
    """What stands between the plan and the college, each as a message saying what to fix."""
    problems = []
    action_plans = [ap for goal in content_queryset(plan) for ap in goal.current_action_plans]
    if not action_plans:
        problems.append(_(NO_ACTION_PLANS))
    for action_plan in action_plans:
        missing = []
        if action_plan.promotor_id is None:
            missing.append(_("a promotor"))
        if not action_plan.current_results:
            missing.append(_("an expected result"))
        if not action_plan.current_resources:
            missing.append(_("a resource"))
        if action_plan.start is None or action_plan.end is None:
            missing.append(_("start and end dates"))
        if missing:
            problems.append(
                _("Action plan “%(title)s” needs %(missing)s.")
                % {"title": action_plan.title, "missing": ", ".join(missing)}
            )
    if plan.state == PlanState.DRAFT and not _discussed(plan, content_hash(snapshot(plan))):
        problems.append(_(NOT_DISCUSSED))
    if plan.state == PlanState.REVISION:
        problems += unanswered(plan)  # every remark of the consultation has a response
    return problems


def _check_may(plan: Plan, name: str, by) -> None:
    """Before any side effect: the transition leaves the plan's state, and ``by`` may make it."""
    transition = workflow.BY_NAME[name]
    if plan.state != transition.source:
        raise workflow.TransitionNotAllowed(
            _("The plan is in “%(state)s”: “%(transition)s” is not possible now.")
            % {"state": plan.get_state_display(), "transition": transition.title},
            code="wrong_state",
        )
    if not has_perm(by, transition.perm, plan):
        raise PermissionDenied


# --- Vote rounds -------------------------------------------------------------------------------


def _college(plan: Plan):
    return (
        Membership.objects.filter(municipality_id=plan.municipality_id, role=Role.COLLEGE)
        .select_related("user")
        .filter(user__is_active=True)
        .order_by("-is_chair", "user__last_name", "user__pk")
    )


def _open_round(plan: Plan, kind: str, by, deadline: datetime.datetime | None) -> VoteRound:
    members = list(_college(plan))
    if not members:
        raise ValidationError(_(NO_COLLEGE), code="no_college")
    now = timezone.now()
    deadline = deadline or now + datetime.timedelta(days=DEFAULT_VOTING_DAYS)
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must lie in the future.")})
    data = stored(snapshot(plan))
    chair = next((m.user for m in members if m.is_chair), None)
    vote_round = _save(
        VoteRound(
            plan=plan,
            kind=kind,
            snapshot=data,
            content_hash=content_hash(data),
            opened_at=now,
            deadline=deadline,
            chair=chair,
        ),
        by,
        gettext_noop("Vote round opened"),
    )
    for membership in members:
        _save(
            RoundElector(vote_round=vote_round, user=membership.user),
            by,
            gettext_noop("Elector at the opening"),
        )
        transaction.on_commit(
            lambda user=membership.user: _mail_round_opened(vote_round, user), robust=True
        )
    return vote_round


@transaction.atomic
def plan_submit_to_college(
    *, plan: Plan, by, deadline: datetime.datetime | None = None, reason: str = ""
) -> VoteRound:
    """Phase 1: the coordinator submits the action programme; the college votes online."""
    return _submit(plan, "submit_to_college", RoundKind.APPROVAL, by, deadline, reason)


@transaction.atomic
def plan_submit_for_adoption(
    *, plan: Plan, by, deadline: datetime.datetime | None = None, reason: str = ""
) -> VoteRound:
    """Phase 3: the adapted plan goes to the college for adoption, then to the council."""
    return _submit(plan, "submit_for_adoption", RoundKind.ADOPTION, by, deadline, reason)


def _submit(plan, name, kind, by, deadline, reason) -> VoteRound:
    lock_row(plan)
    plan.refresh_from_db()
    _check_may(plan, name, by)
    problems = submission_problems(plan)
    if problems:
        raise ValidationError([ValidationError(p, code="not_ready") for p in problems])
    vote_round = _open_round(plan, kind, by, deadline)
    workflow.apply(plan, name, by=by, reason=reason, vote_round=vote_round)
    if kind == RoundKind.ADOPTION:
        # The document the college votes on and the council adopts, rendered once.
        vote_round.document = adopted_document(vote_round, by=by)
        _save(vote_round, by, gettext_noop("Document to adopt prepared"))
    return vote_round


@transaction.atomic
def plan_withdraw(*, plan: Plan, by, reason: str) -> None:
    """The coordinator takes the plan back from the college: the open round is invalidated."""
    lock_row(plan)
    plan.refresh_from_db()
    name = {
        PlanState.COLLEGE_REVIEW: "withdraw_from_college",
        PlanState.COLLEGE_ADOPTION: "withdraw_from_adoption",
    }.get(plan.state, "withdraw_from_college")
    _check_may(plan, name, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is withdrawn.")})
    vote_round = plan.vote_rounds.filter(status=RoundStatus.OPEN).first()
    workflow.apply(plan, name, by=by, reason=reason, vote_round=vote_round)
    if vote_round is not None:
        lock_row(vote_round)
        vote_round.status = RoundStatus.WITHDRAWN
        vote_round.decided_at = timezone.now()
        _save(vote_round, by, gettext_noop("Vote round invalidated: the plan was withdrawn"))


def _locked_open_round(vote_round: VoteRound) -> VoteRound:
    # Always the plan before the round (as plan_withdraw does): two orders would deadlock.
    lock_row(vote_round.plan)
    lock_row(vote_round)
    vote_round.refresh_from_db()
    if vote_round.status != RoundStatus.OPEN:
        raise ValidationError(_("This vote round has closed."), code="closed")
    return vote_round


@transaction.atomic
def vote_cast(*, vote_round: VoteRound, member, choice: str, comment: str = "") -> Vote:
    """A college member votes (or changes their vote) while the round is open; the round
    decides as soon as every elector has voted."""
    vote_round = _locked_open_round(vote_round)
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose approve, reject or abstain.")})
    if not vote_round.electors.filter(user=member).exists():
        raise PermissionDenied
    if not has_perm(member, "plans.vote_plan", vote_round.plan):
        raise PermissionDenied
    if vote_round.kind == RoundKind.ADOPTION and not (
        vote_round.document_id and vote_round.document.is_ready
    ):
        # Nobody adopts a document they could not read.
        raise ValidationError(_(DOCUMENT_PENDING), code="document_pending")
    vote = Vote.objects.filter(vote_round=vote_round, member=member).first()
    if vote is None:
        vote = Vote(vote_round=vote_round, member=member)
        reason = gettext_noop("Vote cast")
    else:
        reason = gettext_noop("Vote changed")
    vote.choice, vote.comment, vote.cast_at = choice, comment.strip(), timezone.now()
    _save(vote, member, reason)
    if vote_round.votes.count() == vote_round.electors.count():
        _decide(vote_round, member)
    return vote


@transaction.atomic
def round_close(*, vote_round: VoteRound, by) -> VoteRound:
    """The presiding chair closes the round after its deadline; the decision rule decides
    (without quorum: no decision, and the plan goes back)."""
    vote_round = _locked_open_round(vote_round)
    if by.pk != getattr(vote_round.presiding, "pk", None):
        raise PermissionDenied
    if timezone.now() < vote_round.deadline:
        raise ValidationError(
            _("The round can be closed after its deadline, %(deadline)s, or when all have voted.")
            % {"deadline": timezone.localtime(vote_round.deadline).strftime("%d/%m/%Y %H:%M")},
            code="before_deadline",
        )
    return _decide(vote_round, by)


OUTCOME_TRANSITION = {
    (RoundKind.APPROVAL, RoundStatus.APPROVED): "college_approves",
    (RoundKind.APPROVAL, RoundStatus.REJECTED): "college_rejects",
    (RoundKind.APPROVAL, RoundStatus.NO_DECISION): "college_no_decision",
    (RoundKind.ADOPTION, RoundStatus.APPROVED): "college_adopts",
    (RoundKind.ADOPTION, RoundStatus.REJECTED): "college_rejects_adoption",
    (RoundKind.ADOPTION, RoundStatus.NO_DECISION): "college_no_decision_on_adoption",
}


def _decide(vote_round: VoteRound, by) -> VoteRound:
    votes = list(vote_round.votes.all())
    presiding = vote_round.presiding
    chair_choice = next(
        (v.choice for v in votes if presiding is not None and v.member_id == presiding.pk), None
    )
    outcome = decide(vote_round.electors.count(), [v.choice for v in votes], chair_choice)
    vote_round.status = outcome
    vote_round.decided_at = timezone.now()
    _save(vote_round, by, gettext_noop("Vote round decided"))
    # No comments in the reason: the plan's history is read by all, how members voted is not.
    workflow.apply(
        vote_round.plan,
        OUTCOME_TRANSITION[(vote_round.kind, outcome)],
        by=by,
        vote_round=vote_round,
        as_decision=True,
    )
    transaction.on_commit(lambda: _mail_round_decided(vote_round), robust=True)
    if outcome == RoundStatus.APPROVED and vote_round.kind == RoundKind.APPROVAL:
        consultation_opened(vote_round.plan)
    return vote_round


@transaction.atomic
def round_designate_acting_chair(*, vote_round: VoteRound, user, by) -> VoteRound:
    """The coordinator (or the chair) designates an elector to preside in the chair's place."""
    vote_round = _locked_open_round(vote_round)
    is_chair = vote_round.chair_id is not None and by.pk == vote_round.chair_id
    if not (is_chair or has_perm(by, "plans.change_voteround", vote_round.plan)):
        raise PermissionDenied
    if user is not None and not vote_round.electors.filter(user=user).exists():
        raise ValidationError({"user": _("Choose a member of this round's electorate.")})
    vote_round.acting_chair = user
    return _save(vote_round, by, gettext_noop("Acting chair designated"))


@transaction.atomic
def round_set_reference(*, vote_round: VoteRound, reference: str, reference_url: str, by):
    """The reference of the formal college decision, once the decision software published it."""
    lock_row(vote_round.plan)
    lock_row(vote_round)
    vote_round.refresh_from_db()
    if not has_perm(by, "plans.change_voteround", vote_round.plan):
        raise PermissionDenied
    if vote_round.status == RoundStatus.OPEN:
        raise ValidationError(_("The round has not decided yet: there is no college decision."))
    vote_round.reference, vote_round.reference_url = reference.strip(), reference_url.strip()
    return _save(vote_round, by, gettext_noop("Reference of the college decision recorded"))


# --- The consultation --------------------------------------------------------------------------


@transaction.atomic
def consultation_set_dates(
    *, plan: Plan, opens: datetime.datetime, closes: datetime.datetime, by
) -> Plan:
    lock_row(plan)
    plan.refresh_from_db()
    if plan.state not in (PlanState.DRAFT, PlanState.COLLEGE_REVIEW, PlanState.CONSULTATION):
        raise ValidationError(_("The consultation is over: its dates no longer change."))
    if closes <= opens:
        raise ValidationError({"closes": _("The consultation must close after it opens.")})
    plan.consultation_opens, plan.consultation_closes = opens, closes
    return _save(plan, by, gettext_noop("Consultation dates set"))


@transaction.atomic
def consultation_close(*, plan: Plan, by, reason: str = ""):
    """The coordinator closes phase 2: after the closing date, or earlier with a reason."""
    lock_row(plan)
    plan.refresh_from_db()
    early = plan.consultation_closes is None or timezone.now() < plan.consultation_closes
    if early and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "The consultation has not reached its closing date: say why you close it now."
                )
            }
        )
    transition = workflow.apply(plan, "close_consultation", by=by, reason=reason)
    consultation_closed(plan)
    return transition


# --- The council -------------------------------------------------------------------------------


@transaction.atomic
def council_decision_record(
    *,
    plan: Plan,
    by,
    date: datetime.date,
    reference: str,
    reference_url: str = "",
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    adopted: bool,
) -> CouncilDecision:
    """The council secretary records the council's decision on the plan submitted for adoption.
    Adopted: the version the college adopted becomes the adopted version and the plan enters
    steering. Not adopted: back to revision."""
    lock_row(plan)
    plan.refresh_from_db()
    adoption = (
        plan.vote_rounds.filter(kind=RoundKind.ADOPTION, status=RoundStatus.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    _check_may(plan, "council_adopts", by)
    if adoption is None:
        raise ValidationError(_("The college has not adopted a version of this plan."))
    # The council decides by a majority of the votes cast (abstentions are not votes cast; a
    # tie rejects): the outcome recorded must be the one the numbers give.
    if adopted != (votes_for > votes_against):
        message = (
            _("With %(for)s votes for and %(against)s against, the council did not adopt it.")
            if adopted
            else _("With %(for)s votes for and %(against)s against, the council adopted it.")
        )
        raise ValidationError(
            {"adopted": message % {"for": votes_for, "against": votes_against}},
            code="contradiction",
        )
    decision = _save(
        CouncilDecision(
            plan=plan,
            vote_round=adoption,
            date=date,
            reference=reference.strip(),
            reference_url=reference_url.strip(),
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            adopted=adopted,
        ),
        by,
        gettext_noop("Council decision recorded"),
    )
    if adopted:
        workflow.apply(plan, "council_adopts", by=by, vote_round=adoption)
        plan.adopted_round = adoption
        plan.reports_from = plan.reports_from or date  # phase 4: reports owed from here on
        _save(plan, by, gettext_noop("Adopted version frozen"))
    else:
        workflow.apply(plan, "council_rejects", by=by, vote_round=adoption)
    return decision


@transaction.atomic
def plan_close(*, plan: Plan, by, reason: str):
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is closed (its evaluation).")})
    _check_may(plan, "close", by)
    problems = evaluation_problems(plan)
    if problems:
        raise ValidationError(problems, code="not_evaluated")
    return workflow.apply(plan, "close", by=by, reason=reason)


# --- Mail --------------------------------------------------------------------------------------


def _plan_url(plan: Plan, name: str = "plans:plan-detail") -> str:
    return absolute_url(plan, name)


def _mail_round_opened(vote_round: VoteRound, user) -> None:
    if not user.email:
        return
    plan = vote_round.plan
    with translation.override(user.language or "nl"):
        send_mail(
            subject=_("Vote: %(plan)s") % {"plan": plan.title},
            message=_(
                "The college is asked to vote on “%(plan)s” (%(kind)s) before %(deadline)s.\n"
                "Vote in SafetyNet: %(url)s\n"
            )
            % {
                "plan": plan.title,
                "kind": vote_round.get_kind_display(),
                "deadline": timezone.localtime(vote_round.deadline).strftime("%d/%m/%Y %H:%M"),
                "url": _plan_url(plan, "plans:vote"),
            },
            from_email=None,
            recipient_list=[user.email],
        )


def _mail_round_decided(vote_round: VoteRound) -> None:
    plan = vote_round.plan
    coordinators = Membership.objects.filter(
        municipality_id=plan.municipality_id, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    for membership in coordinators:
        user = membership.user
        if not user.email:
            continue
        with translation.override(user.language or "nl"):
            send_mail(
                subject=_("The college decided: %(plan)s") % {"plan": plan.title},
                message=_("Outcome of the vote on “%(plan)s”: %(outcome)s.\n%(url)s\n")
                % {
                    "plan": plan.title,
                    "outcome": vote_round.get_status_display(),
                    "url": _plan_url(plan),
                },
                from_email=None,
                recipient_list=[user.email],
            )
