"""Moving a plan along: submitting it to the college, withdrawing it, the consultation's dates
and closing, the college's vote page, the council's decision, closing the plan, and recording
where the kerngroep discussed it. Each view calls one service; the services check the rules.

Each vote cast and each phase transition (a button's, or a vote round's outcome) is written to
the security log here, where the request is known: who, from where, on which plan or round —
never how someone voted."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from plans import content as plan_content
from plans import workflow
from plans.constants import PlanState, RoundStatus
from plans.decision_forms import (
    ActingChairForm,
    ConsultationDatesForm,
    CouncilDecisionForm,
    DiscussionForm,
    OptionalReasonForm,
    ReasonForm,
    ReferenceForm,
    SubmitForm,
    VoteForm,
)
from plans.models import Phenomenon, VoteRound
from plans.services import (
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
from plans.services.decisions import OUTCOME_TRANSITION
from plans.versions import TIMEOUT
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import has_perm
from safetynet.security import Kind, log_event

from .documents import adoption_document_of
from .plans import PlanPageMixin, plan_url


def made_by_button(before: str, plan) -> str | None:
    """The transition a person's action just made from state ``before`` to the plan's state
    (the workflow table has one such transition per source and target); None: no move."""
    for transition in workflow.TRANSITIONS:
        if transition.perm and transition.source == before and transition.target == plan.state:
            return transition.name
    return None


def log_transition(request, plan, name: str | None) -> None:
    if name:
        log_event(
            Kind.TRANSITION,
            request=request,
            obj=plan,
            municipality=plan.municipality,
            detail=name,
        )


def log_round_outcome(request, plan, vote_round) -> None:
    """The transition a vote round made when it decided (by the last vote or its closing)."""
    if vote_round.status != RoundStatus.OPEN:
        log_transition(request, plan, OUTCOME_TRANSITION.get((vote_round.kind, vote_round.status)))


class DecisionFormView(PlanPageMixin, MunicipalityMixin, FormView):
    """A form that calls one service on the plan and returns to the plan page."""

    success_message = ""

    def call(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        before = self.plan.state
        try:
            self.call(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        log_transition(self.request, self.plan, made_by_button(before, self.plan))
        messages.success(self.request, self.success_message)
        return redirect(plan_url(self.plan))


class SubmitView(DecisionFormView):
    """Submit to the college (draft) or for adoption (revision): what stands in the way is
    listed first, so the coordinator knows what to fix."""

    template_name = "plans/submit.html"
    permission_required = "plans.submit_plan"
    form_class = SubmitForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems=submission_problems(self.plan), **kwargs)

    def call(self, form):
        submit = (
            plan_submit_for_adoption
            if self.plan.state == PlanState.REVISION
            else plan_submit_to_college
        )
        submit(plan=self.plan, by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("The plan has been submitted; the college members have been invited to vote.")


class WithdrawView(DecisionFormView):
    template_name = "plans/reason_form.html"
    permission_required = "plans.withdraw_plan"
    form_class = ReasonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Withdraw the plan from the college"),
            hint=_("The open vote round is invalidated; the votes cast stay in the history."),
            **kwargs,
        )

    def call(self, form):
        plan_withdraw(plan=self.plan, by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("The plan has been withdrawn from the college.")


class ClosePlanView(DecisionFormView):
    template_name = "plans/reason_form.html"
    permission_required = "plans.close_plan"
    form_class = ReasonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Close the plan"), hint=_("Write down the evaluation in a few lines."), **kwargs
        )

    def call(self, form):
        plan_close(plan=self.plan, by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("The plan has been closed.")


class ConsultationView(PlanPageMixin, MunicipalityMixin, TemplateView):
    """The consultation's opening and closing moments, and closing it (phase 2 → 3)."""

    template_name = "plans/consultation.html"
    permission_required = "plans.close_consultation"

    def get_context_data(self, **kwargs):
        plan = self.plan
        kwargs.setdefault(
            "dates_form",
            ConsultationDatesForm(
                initial={"opens": plan.consultation_opens, "closes": plan.consultation_closes}
            ),
        )
        kwargs.setdefault("close_form", OptionalReasonForm())
        return super().get_context_data(may_close=plan.state == PlanState.CONSULTATION, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "close":
            form = OptionalReasonForm(request.POST)
            if form.is_valid():
                try:
                    consultation_close(plan=self.plan, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    log_transition(request, self.plan, "close_consultation")
                    messages.success(request, _("The consultation has been closed."))
                    return redirect(plan_url(self.plan))
            return self.render_to_response(self.get_context_data(close_form=form))
        form = ConsultationDatesForm(request.POST)
        if form.is_valid():
            try:
                consultation_set_dates(plan=self.plan, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The consultation dates have been saved."))
                return redirect(plan_url(self.plan, "plans:consultation"))
        return self.render_to_response(self.get_context_data(dates_form=form))


class DiscussionAddView(DecisionFormView):
    template_name = "plans/discussion_form.html"
    permission_required = "plans.add_discussion"
    form_class = DiscussionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality, "plan": self.plan}

    def call(self, form):
        discussion_record(plan=self.plan, by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("The discussion in the core group has been recorded for this version.")


class RoundMixin(PlanPageMixin):
    @cached_property
    def vote_round(self) -> VoteRound | None:
        """The open round, else the latest one."""
        rounds = self.plan.vote_rounds.select_related("chair", "acting_chair")
        return rounds.filter(status=RoundStatus.OPEN).first() or rounds.first()


class VoteView(RoundMixin, MunicipalityMixin, TemplateView):
    """The college member's vote page: totals, phenomena, what changed since the version the
    college last saw, then the plan as submitted (from the stored snapshot); the vote. How each
    member voted only for the college, the coordinator and the council secretary."""

    template_name = "plans/vote.html"
    permission_required = "plans.view_voteround"

    def get_context_data(self, **kwargs):
        vote_round, user = self.vote_round, self.request.user
        context = {"vote_round": vote_round}
        if vote_round is not None:
            data = vote_round.snapshot
            previous = (
                self.plan.vote_rounds.filter(opened_at__lt=vote_round.opened_at)
                .exclude(status=RoundStatus.WITHDRAWN)
                .order_by("-opened_at")
                .first()
            )
            codes = plan_content.phenomena_codes(data)
            phenomena = [
                p
                for p in Phenomenon.objects.filter(code__in=codes)
                if p.municipality_id in (None, self.municipality.pk)
            ]
            electors = list(vote_round.electors.select_related("user"))
            decided = (
                vote_round
                if vote_round.status != RoundStatus.OPEN
                else self.plan.vote_rounds.exclude(status=RoundStatus.OPEN).first()
            )
            votes = {v.member_id: v for v in vote_round.votes.select_related("member")}
            mine = votes.get(user.pk)
            is_elector = any(e.user_id == user.pk for e in electors)
            may_vote = (
                vote_round.status == RoundStatus.OPEN
                and is_elector
                and has_perm(user, "plans.vote_plan", self.plan)
            )
            context.update(
                snapshot=data,
                budget=plan_content.budget(data),
                phenomena=phenomena,
                # Between two stored snapshots, which never change: computed once.
                changes=cache.get_or_set(
                    f"plans:round-changes:{vote_round.pk}:{previous.pk if previous else 0}",
                    lambda: plan_content.changes(previous.snapshot if previous else None, data),
                    TIMEOUT,
                ),
                previous=previous,
                electors=electors,
                votes=votes,
                voted=len(votes),
                may_see_votes=has_perm(user, "plans.view_votes", self.plan),
                may_vote=may_vote,
                mine=mine,
                form=kwargs.pop("form", None)
                or VoteForm(
                    initial={"choice": mine.choice, "comment": mine.comment} if mine else None
                ),
                is_presiding=vote_round.presiding is not None
                and vote_round.presiding.pk == user.pk,
                may_designate=vote_round.status == RoundStatus.OPEN
                and (
                    user.pk == vote_round.chair_id
                    or has_perm(user, "plans.change_voteround", self.plan)
                ),
                may_reference=has_perm(user, "plans.change_voteround", self.plan),
                decided_round=decided,
                reference_form=ReferenceForm(
                    initial={
                        "reference": decided.reference if decided else "",
                        "reference_url": decided.reference_url if decided else "",
                    }
                ),
            )
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.vote_round is None:
            raise PermissionDenied
        form = VoteForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            vote_cast(vote_round=self.vote_round, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        # That a vote was cast, on which round; never the choice.
        log_event(
            Kind.VOTE,
            request=request,
            obj=self.vote_round,
            municipality=self.municipality,
            detail=self.vote_round.kind,
        )
        log_round_outcome(request, self.plan, self.vote_round)
        messages.success(
            request, _("Your vote has been recorded. You can change it until the round decides.")
        )
        return redirect(plan_url(self.plan, "plans:vote"))


class RoundCloseView(RoundMixin, MunicipalityMixin, View):
    permission_required = "plans.view_voteround"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.vote_round is None:
            raise PermissionDenied
        try:
            vote_round = round_close(vote_round=self.vote_round, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            log_round_outcome(request, self.plan, vote_round)
            messages.success(
                request,
                _("The round has been closed: %(outcome)s.")
                % {"outcome": vote_round.get_status_display()},
            )
        return redirect(plan_url(self.plan, "plans:vote"))


class ActingChairView(RoundMixin, MunicipalityMixin, View):
    permission_required = "plans.view_voteround"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.vote_round is None:
            raise PermissionDenied
        form = ActingChairForm(request.POST, vote_round=self.vote_round)
        if not form.is_valid():
            messages.error(request, _("Choose a member of this round's electorate."))
            return redirect(plan_url(self.plan, "plans:vote"))
        try:
            round_designate_acting_chair(
                vote_round=self.vote_round, user=form.cleaned_data["user"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The acting chair has been designated."))
        return redirect(plan_url(self.plan, "plans:vote"))


class ReferenceView(RoundMixin, MunicipalityMixin, View):
    permission_required = "plans.change_voteround"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        # The latest round that decided: an open adoption round must not hide the approval
        # round whose reference is still to be recorded.
        decided = self.plan.vote_rounds.exclude(status=RoundStatus.OPEN).first()
        if decided is None:
            messages.error(
                request, _("The round has not decided yet: there is no college decision.")
            )
            return redirect(plan_url(self.plan, "plans:vote"))
        form = ReferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reference, and a valid link if any."))
            return redirect(plan_url(self.plan, "plans:vote"))
        try:
            round_set_reference(vote_round=decided, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The reference of the college decision has been saved."))
        return redirect(plan_url(self.plan, "plans:vote"))


class CouncilDecisionView(DecisionFormView):
    template_name = "plans/council_form.html"
    permission_required = "plans.add_councildecision"
    form_class = CouncilDecisionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=adoption_document_of(self.plan), **kwargs)

    def call(self, form):
        council_decision_record(plan=self.plan, by=self.request.user, **form.cleaned_data)

    @property
    def success_message(self):
        return _("The council's decision has been recorded.")
