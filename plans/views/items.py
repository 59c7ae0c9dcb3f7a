"""Adding, editing, moving and removing the items of a plan: goals, action plans, expected
results, actions, resources and indicators — one set of views for all, driven by ``KINDS``."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from plans.forms import (
    ActionForm,
    ActionPlanForm,
    ExpectedResultForm,
    GoalForm,
    IndicatorForm,
    ResourceForm,
)
from plans.models import Action, ActionPlan, ExpectedResult, Goal, Indicator, Resource
from plans.permissions import may_add_under, may_change
from plans.services import item_add, item_move, item_remove, item_update
from safetynet.concurrency import EditConflict, conflict_response, latest_version
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import has_perm

from .plans import PlanPageMixin, plan_url


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    parent_model: type | None  # None: the plan itself (goals; action plans choose their goal)
    parent_field: str
    add_title: str
    edit_title: str
    anchor: str  # the plan page's element an item returns to


KINDS = {
    "goal": Kind(Goal, GoalForm, None, "plan", gettext_lazy("Add a goal"),
                 gettext_lazy("Edit the goal"), "goal"),
    "action-plan": Kind(ActionPlan, ActionPlanForm, None, "goal",
                        gettext_lazy("Add an action plan"), gettext_lazy("Edit the action plan"),
                        "action-plan"),
    "result": Kind(ExpectedResult, ExpectedResultForm, ActionPlan, "action_plan",
                   gettext_lazy("Add an expected result"),
                   gettext_lazy("Edit the expected result"), "action-plan"),
    "action": Kind(Action, ActionForm, ActionPlan, "action_plan", gettext_lazy("Add an action"),
                   gettext_lazy("Edit the action"), "action-plan"),
    "resource": Kind(Resource, ResourceForm, ActionPlan, "action_plan",
                     gettext_lazy("Add a resource"), gettext_lazy("Edit the resource"),
                     "action-plan"),
    "indicator": Kind(Indicator, IndicatorForm, ExpectedResult, "expected_result",
                      gettext_lazy("Add an indicator"), gettext_lazy("Edit the indicator"),
                      "action-plan"),
}  # fmt: skip

# How each model reaches its plan, to scope lookups to the plan in the URL.
PLAN_PATH = {
    Goal: "plan",
    ActionPlan: "goal__plan",
    ExpectedResult: "action_plan__goal__plan",
    Action: "action_plan__goal__plan",
    Resource: "action_plan__goal__plan",
    Indicator: "expected_result__action_plan__goal__plan",
}


def _return_url(plan, item) -> str:
    """Back to the plan page, at the action plan or goal the item belongs to."""
    while not isinstance(item, ActionPlan | Goal):
        item = getattr(item, KINDS_BY_MODEL[type(item)].parent_field)
    prefix = "action-plan" if isinstance(item, ActionPlan) else "goal"
    return f"{plan_url(plan)}#{prefix}-{item.pk}"


KINDS_BY_MODEL = {kind.model: kind for kind in KINDS.values()}


class ItemMixin(PlanPageMixin):
    permission_required = "plans.view_plan"  # the item's own permission is checked below

    @cached_property
    def kind(self) -> Kind:
        try:
            return KINDS[self.kwargs["kind"]]
        except KeyError:
            raise Http404 from None

    def in_plan(self, model, pk):
        """An item of this plan (404 otherwise: another plan's or municipality's id)."""
        queryset = model.objects.filter(**{PLAN_PATH[model]: self.plan}, archived_at__isnull=True)
        try:
            return queryset.get(pk=pk)
        except (model.DoesNotExist, ValueError):
            raise Http404 from None

    @cached_property
    def item(self):
        return self.in_plan(self.kind.model, self.kwargs["item"])


class ItemFormView(ItemMixin, MunicipalityMixin, FormView):
    template_name = "plans/item_form.html"

    def get_form_class(self):
        return self.kind.form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kind.form in (GoalForm, ActionPlanForm):
            kwargs["plan"] = self.plan
        if self.kind.form is ActionPlanForm and self.editing:
            kwargs["may_move"] = has_perm(self.request.user, "plans.add_actionplan", self.plan)
        return kwargs

    def get_context_data(self, **kwargs):
        title = self.kind.edit_title if self.editing else self.kind.add_title
        return super().get_context_data(title=title, cancel_url=self.return_url(), **kwargs)


class ItemAddView(ItemFormView):
    editing = False

    @cached_property
    def parent(self):
        """The action plan or expected result the new item goes under (``?parent=``), or the
        plan for goals and action plans (whose form chooses their goal)."""
        if self.kind.parent_model is None:
            return self.plan
        return self.in_plan(self.kind.parent_model, self.request.GET.get("parent"))

    def get(self, request, *args, **kwargs):
        self.check_may()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_may()
        return super().post(request, *args, **kwargs)

    def check_may(self):
        if not may_add_under(self.request.user, self.parent, self.kind.model):
            raise PermissionDenied

    def get_initial(self):
        initial = super().get_initial()
        wanted = self.request.GET.get("parent")
        if self.kind.model is Goal and wanted:
            initial["parent"] = wanted
        if self.kind.model is ActionPlan and wanted:
            initial["goal"] = wanted
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = self.kind.model()
        if self.kind.model is Goal:
            instance.plan = self.plan
        elif self.kind.parent_model is not None:
            setattr(instance, self.kind.parent_field, self.parent)
        kwargs["instance"] = instance
        return kwargs

    def return_url(self):
        if self.kind.parent_model is None:
            return plan_url(self.plan)
        return _return_url(self.plan, self.parent)

    def form_valid(self, form):
        relations = {k: form.cleaned_data[k] for k in ("phenomena", "partners") if k in form.fields}
        item = form.save(commit=False)
        try:
            item_add(item=item, by=self.request.user, **relations)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(item)s” has been added.") % {"item": item})
        return redirect(_return_url(self.plan, item))


class ItemEditView(ItemFormView):
    editing = True

    def get(self, request, *args, **kwargs):
        self.check_may()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_may()
        return super().post(request, *args, **kwargs)

    def check_may(self):
        if not may_change(self.request.user, self.item):
            raise PermissionDenied

    def get_form_kwargs(self):
        # A copy: a refused edit must not change the item the page shows.
        return {
            **super().get_form_kwargs(),
            "instance": type(self.item).objects.get(pk=self.item.pk),
        }

    def get_initial(self):
        return {"version": latest_version(self.item)}

    def return_url(self):
        return _return_url(self.plan, self.item)

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        for name in form.fields:
            if form.fields[name].disabled:
                changes.pop(name, None)
        try:
            item_update(
                item=form.instance,
                by=self.request.user,
                version=form.cleaned_data["version"],
                **changes,
            )
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.item)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(item)s” has been saved.") % {"item": form.instance})
        return redirect(self.return_url())


class ItemRemoveView(ItemMixin, MunicipalityMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.item
        model = type(item)
        allowed = (
            may_change(request.user, item)
            if model not in (Goal, ActionPlan)
            else has_perm(request.user, f"plans.delete_{model._meta.model_name}", self.plan)
        )
        if not allowed:
            raise PermissionDenied
        back = plan_url(self.plan) if model in (Goal, ActionPlan) else _return_url(self.plan, item)
        try:
            item_remove(item=item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(item)s” has been removed.") % {"item": item})
        return redirect(back)


class ItemMoveView(ItemMixin, MunicipalityMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.item
        if not may_change(request.user, item):
            raise PermissionDenied
        direction = -1 if request.POST.get("direction") == "up" else 1
        try:
            item_move(item=item, direction=direction, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_return_url(self.plan, item))
