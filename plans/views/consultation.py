"""The coordinator's side of the consultation: every remark (filter, search), entering remarks
received on paper or at an evening, moderating (publish redacted, spam) and answering them, and
the antwoordnota — every remark with its answer, by goal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from plans.constants import RemarkStatus
from plans.consultation_forms import (
    ModerationForm,
    RemarkEnterForm,
    RemarkFilterForm,
    ResponseForm,
)
from plans.models import Remark, Response
from plans.selectors import answer_note
from plans.services.consultation import remark_enter, remark_moderate, response_write
from safetynet.concurrency import EditConflict, latest_version
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin

from .plans import PlanPageMixin, plan_url

PAGE_SIZE = 25


def remark_url(plan, remark) -> str:
    return reverse(
        "plans:remark-detail",
        kwargs={"municipality": plan.municipality.slug, "pk": plan.pk, "remark": remark.pk},
    )


class RemarkListView(PlanPageMixin, MunicipalityMixin, TemplateView):
    template_name = "plans/remark_list.html"
    permission_required = "plans.view_remark"

    def get_context_data(self, **kwargs):
        form = RemarkFilterForm(self.request.GET or None, plan=self.plan)
        remarks = Remark.objects.filter(plan=self.plan).select_related("goal", "response")
        if form.is_valid():
            data = form.cleaned_data
            if query := data["q"].strip():
                remarks = remarks.filter(
                    Q(text__icontains=query)
                    | Q(reference__icontains=query)
                    | Q(organisation__icontains=query)
                    | Q(name__icontains=query)
                )
            if data["status"]:
                remarks = remarks.filter(status=data["status"])
            if data["goal"]:
                remarks = remarks.filter(goal=data["goal"])
            if data["unanswered"]:
                remarks = remarks.filter(response__isnull=True).exclude(status=RemarkStatus.SPAM)
        page = Paginator(remarks.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            page_obj=page,
            remarks=page.object_list,
            unanswered_count=Remark.objects.filter(plan=self.plan, response__isnull=True)
            .exclude(status=RemarkStatus.SPAM)
            .count(),
            may_enter=self.may("plans.add_remark"),
            **kwargs,
        )


class RemarkEnterView(PlanPageMixin, MunicipalityMixin, FormView):
    template_name = "plans/remark_enter.html"
    permission_required = "plans.add_remark"
    form_class = RemarkEnterForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def form_valid(self, form):
        try:
            remark = remark_enter(plan=self.plan, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The remark has been entered as %(reference)s.") % {"reference": remark}
        )
        return redirect(remark_url(self.plan, remark))


class RemarkDetailView(PlanPageMixin, MunicipalityMixin, TemplateView):
    """One remark: the original (private), its moderation and its answer."""

    template_name = "plans/remark_detail.html"
    permission_required = "plans.view_remark"

    @cached_property
    def remark(self) -> Remark:
        return self.get_scoped_object(
            Remark.objects.filter(plan=self.plan).select_related("goal", "action_plan"),
            "plans.view_remark",
            pk=self.kwargs["remark"],
        )

    @cached_property
    def response(self):
        return Response.objects.filter(remark=self.remark).first()

    def get_context_data(self, **kwargs):
        kwargs.pop("remark", None)  # the URL's id; the object replaces it
        remark, response = self.remark, self.response
        kwargs.setdefault(
            "moderation_form",
            ModerationForm(
                initial={
                    "status": remark.status,
                    "redacted_text": remark.redacted_text or remark.text,
                    "name_public": remark.name_public,
                    "version": latest_version(remark),
                }
            ),
        )
        initial = (
            {
                "verdict": response.verdict,
                "motivation": response.motivation,
                "changed_goal": response.changed_goal_id,
                "changed_action_plan": response.changed_action_plan_id,
                "version": latest_version(response),
            }
            if response
            else {}
        )
        kwargs.setdefault("response_form", ResponseForm(initial=initial, plan=self.plan))
        return super().get_context_data(
            remark=remark,
            response=response,
            may_change=self.may("plans.change_remark"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may("plans.change_remark"):
            raise PermissionDenied
        if request.POST.get("action") == "moderate":
            form = ModerationForm(request.POST)
            service = remark_moderate
            key = "moderation_form"
            done = _("The remark's publication has been saved.")
            arguments = {"remark": self.remark}
        else:
            form = ResponseForm(request.POST, plan=self.plan)
            service = response_write
            key = "response_form"
            done = _("The response has been saved.")
            arguments = {"remark": self.remark}
        if form.is_valid():
            try:
                service(by=request.user, **arguments, **form.cleaned_data)
            except EditConflict as conflict:
                form.add_error(None, conflict)
                return self.render_to_response(
                    self.get_context_data(**{key: form}, conflict=conflict.changes)
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect(remark_url(self.plan, self.remark))
        return self.render_to_response(self.get_context_data(**{key: form}))


class AnswerNoteView(PlanPageMixin, MunicipalityMixin, TemplateView):
    """The antwoordnota: every remark (spam aside) with its answer, grouped by goal — what the
    college and the council see with the adapted plan."""

    template_name = "plans/antwoordnota.html"
    permission_required = "plans.view_response"

    def get_context_data(self, **kwargs):
        ordered = answer_note(self.plan)
        return super().get_context_data(groups=ordered, back_url=plan_url(self.plan), **kwargs)
