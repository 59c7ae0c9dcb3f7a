"""The plan's history on one page: the plan, its goals, action plans and everything under them,
its transitions and decisions. How each college member voted only for those who may see it."""

from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from plans.content import changes, content_hash, snapshot, stored
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    CouncilDecision,
    Discussion,
    Escalation,
    ExpectedResult,
    Goal,
    GoalEvaluation,
    GoalPhenomenon,
    Indicator,
    Measurement,
    Plan,
    PlanTransition,
    ProgressReport,
    Resource,
    Vote,
    VoteRound,
)
from safetynet.history import HistorySource
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import has_perm
from safetynet.views import HistoryView

from .plans import PlanPageMixin, plan_url


def _named(label, field):
    return lambda record, display: f"{label} · {Truncator(display(field)).chars(80)}"


class PlanHistoryView(PlanPageMixin, HistoryView):
    permission_required = "plans.view_plan"
    title = gettext_lazy("History of the plan")

    def get_back_url(self) -> str:
        return plan_url(self.plan)

    def get_known_objects(self) -> list:
        return [*super().get_known_objects(), self.plan]

    def get_sources(self):
        pk = self.plan.pk
        goals = Goal.objects.filter(plan_id=pk).values("pk")
        action_plans = ActionPlan.objects.filter(goal__plan_id=pk).values("pk")
        results = ExpectedResult.objects.filter(action_plan__goal__plan_id=pk).values("pk")
        rounds = VoteRound.objects.filter(plan_id=pk).values("pk")
        sources = [
            HistorySource(Plan.history.filter(id=pk)),
            HistorySource(Goal.history.filter(plan_id=pk), _named(_("Goal"), "title")),
            HistorySource(
                GoalPhenomenon.history.filter(goal_id__in=goals),
                _named(_("Phenomenon"), "phenomenon"),
            ),
            HistorySource(
                ActionPlan.history.filter(goal_id__in=goals), _named(_("Action plan"), "title")
            ),
            HistorySource(
                ActionPlanPartner.history.filter(action_plan_id__in=action_plans),
                _named(_("Partner"), "actor"),
            ),
            HistorySource(
                ExpectedResult.history.filter(action_plan_id__in=action_plans),
                _named(_("Expected result"), "text"),
            ),
            HistorySource(
                Action.history.filter(action_plan_id__in=action_plans), _named(_("Action"), "title")
            ),
            HistorySource(
                Resource.history.filter(action_plan_id__in=action_plans),
                _named(_("Resource"), "kind"),
            ),
            HistorySource(
                Indicator.history.filter(expected_result_id__in=results),
                _named(_("Indicator"), "name"),
            ),
            HistorySource(
                PlanTransition.history.filter(plan_id=pk), _named(_("Transition"), "target")
            ),
            HistorySource(VoteRound.history.filter(plan_id=pk), _named(_("Vote round"), "kind")),
            HistorySource(
                CouncilDecision.history.filter(plan_id=pk),
                _named(_("Council decision"), "reference"),
            ),
            HistorySource(
                Discussion.history.filter(plan_id=pk), _named(_("Discussion"), "agenda_item")
            ),
            # Phase 4: reports, measurements, evaluations.
            HistorySource(
                ProgressReport.history.filter(action_plan_id__in=action_plans),
                _named(_("Progress report"), "action_plan"),
            ),
            HistorySource(
                Measurement.history.filter(
                    indicator_id__in=Indicator.objects.filter(
                        expected_result_id__in=results
                    ).values("pk")
                ),
                _named(_("Measurement"), "indicator"),
            ),
            HistorySource(
                GoalEvaluation.history.filter(goal_id__in=goals),
                _named(_("Evaluation"), "goal"),
            ),
        ]
        if has_perm(self.request.user, "plans.view_escalation", self.plan):
            sources.append(
                HistorySource(
                    Escalation.history.filter(plan_id=pk),
                    _named(_("Obstacle for the mayor"), "text"),
                )
            )
        if has_perm(self.request.user, "plans.view_votes", self.plan):
            sources.append(
                HistorySource(
                    Vote.history.filter(vote_round_id__in=rounds), _named(_("Vote"), "member")
                )
            )
        return sources


class AdoptedDiffView(PlanPageMixin, MunicipalityMixin, TemplateView):
    """What changed in the plan since the council adopted it: the current content against the
    adopted version's stored snapshot."""

    template_name = "plans/adopted_diff.html"
    permission_required = "plans.view_plan"

    @cached_property
    def plan(self) -> Plan:
        # With the adopted round it is compared with: one query less.
        return self.get_scoped_object(
            Plan.objects.select_related("municipality", "adopted_round"),
            self.plan_perm,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        plan = self.plan
        adopted = plan.adopted_round
        current = stored(snapshot(plan))
        return super().get_context_data(
            adopted=adopted,
            changes=changes(adopted.snapshot, current) if adopted else [],
            same=adopted is not None and adopted.content_hash == content_hash(current),
            **kwargs,
        )
