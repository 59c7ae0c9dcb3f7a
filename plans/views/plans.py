"""The list of plans, a new plan, the plan page (read like the plan document) and its edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from plans import workflow
from plans.constants import EDITABLE_STATES, PHASE_OF_STATE, Phase, PlanState
from plans.forms import PhenomenonForm, PlanForm
from plans.models import Plan
from plans.permissions import edit_signature, may_add_under, may_change
from plans.selectors import plan_content, plan_decisions
from plans.services import plan_create, plan_update
from plans.services.content import EDITABLE, phenomena_for, phenomenon_add
from plans.versions import cached_content_hash, content_version
from safetynet.concurrency import EditConflict, conflict_response, latest_version
from safetynet.forms import add_service_error, query_text
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import has_perm

PAGE_SIZE = 25


def plan_url(plan, name="plans:plan-detail", **kwargs) -> str:
    return reverse(name, kwargs={"municipality": plan.municipality.slug, "pk": plan.pk, **kwargs})


class PlanPageMixin:
    """A page about one plan of this municipality (404 for another municipality's)."""

    plan_perm = "plans.view_plan"

    @cached_property
    def plan(self) -> Plan:
        return self.get_scoped_object(
            Plan.objects.select_related("municipality"), self.plan_perm, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class PlanListView(MunicipalityMixin, TemplateView):
    template_name = "plans/plan_list.html"
    permission_required = "plans.view_plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_text(self.request.GET, "q")
        state = self.request.GET.get("state", "")
        plans = self.visible("plans.view_plan", Plan.objects.all())
        if query:
            plans = plans.filter(Q(title__icontains=query) | Q(summary__icontains=query))
        if state in PlanState.values:
            plans = plans.filter(state=state)
        page = Paginator(plans.order_by("-period_start", "title", "pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page_obj=page,
            plans=page.object_list,
            query=query,
            state=state,
            states=PlanState.choices,
            may_create=self.may("plans.add_plan"),
            may_see_board=self.may("coregroup.view_followuptask"),
        )
        return context


class PlanCreateView(MunicipalityMixin, FormView):
    template_name = "plans/plan_form.html"
    permission_required = "plans.add_plan"
    form_class = PlanForm

    def form_valid(self, form):
        try:
            plan = plan_create(
                municipality=self.municipality, by=self.request.user, **form.content_fields()
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan has been created. Add its goals."))
        return redirect(plan_url(plan))


class PlanEditView(PlanPageMixin, MunicipalityMixin, FormView):
    template_name = "plans/plan_form.html"
    permission_required = "plans.change_plan"

    form_class = PlanForm

    def get_form_kwargs(self):
        # A copy: a refused edit must not change the plan the page shows.
        return {**super().get_form_kwargs(), "instance": Plan.objects.get(pk=self.plan.pk)}

    def get_initial(self):
        return {"version": latest_version(self.plan)}

    def form_valid(self, form):
        try:
            plan_update(
                plan=self.plan,
                by=self.request.user,
                version=form.cleaned_data["version"],
                **form.content_fields(),
            )
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.plan)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan has been saved."))
        return redirect(plan_url(self.plan))


class PlanDetailView(PlanPageMixin, MunicipalityMixin, TemplateView):
    """The plan as a document: summary, phenomena covered, budget, goals → action plans →
    results, actions, resources; edit links where this person may edit. A fixed number of
    queries whatever the plan's size."""

    template_name = "plans/plan_detail.html"
    permission_required = "plans.view_plan"

    def get_context_data(self, **kwargs):
        plan, user = self.plan, self.request.user
        editable = plan.state in EDITABLE
        removable = plan.state in EDITABLE_STATES
        monitored = plan.state in (PlanState.STEERING, PlanState.CLOSED)
        may_add_goal = editable and may_add_under(user, plan, Plan.goals.field.model)
        version = content_version(plan)
        # The content (goals → action plans → …) is rendered once per version, language and
        # set of editing rights, and kept (the template's {% cache %}): read only on a miss.
        content = SimpleLazyObject(lambda: self.content(editable))
        return super().get_context_data(
            content=content,
            # Everything the cached content varies with, besides the language (the template's).
            content_key=(
                f"{version}:{plan.municipality.slug}:"
                f"{edit_signature(user, plan) if editable else '-'}:"
                f"{int(removable)}{int(monitored)}{int(may_add_goal)}"
            ),
            editable=editable,
            removable=removable,
            may_edit_plan=editable and has_perm(user, "plans.change_plan", plan),
            may_add_goal=may_add_goal,
            transitions=workflow.available(plan, user),
            decisions=plan_decisions(plan),
            current_hash=SimpleLazyObject(
                lambda: cached_content_hash(plan, version, lambda: content.all_goals)
            ),
            may_record_discussion=has_perm(user, "plans.add_discussion", plan),
            may_see_remarks=has_perm(user, "plans.view_remark", plan)
            and plan.state not in (PlanState.DRAFT, PlanState.COLLEGE_REVIEW),
            shows_public=plan.state not in (PlanState.DRAFT, PlanState.COLLEGE_REVIEW),
            may_see_votes=has_perm(user, "plans.view_votes", plan),
            monitored=monitored,
            may_set_reporting=plan.state == PlanState.STEERING
            and has_perm(user, "plans.change_plan", plan),
            may_see_obstacles=has_perm(user, "plans.view_escalation", plan),
            phases=Phase.choices,
            current_phase=PHASE_OF_STATE[plan.state],
            **kwargs,
        )

    def content(self, editable: bool):
        content = plan_content(self.plan)
        user = self.request.user
        for goal in content.goals:
            for item in [goal, *goal.children]:
                item.may_edit = editable and may_change(user, item)
                for action_plan in item.current_action_plans:
                    action_plan.may_edit = editable and may_change(user, action_plan)
        return content


class PhenomenaView(MunicipalityMixin, FormView):
    """The phenomena goals can address: the framework note's clusters and this municipality's
    own additions."""

    template_name = "plans/phenomena.html"
    permission_required = "plans.view_phenomenon"
    form_class = PhenomenonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            phenomena=list(phenomena_for(self.municipality)),
            may_add=self.may("plans.add_phenomenon"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may("plans.add_phenomenon"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            phenomenon_add(
                municipality=self.municipality, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The phenomenon has been added."))
        return redirect("plans:phenomena", municipality=self.municipality.slug)
