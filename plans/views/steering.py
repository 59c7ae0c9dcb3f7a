"""Phase 4 pages of one plan: an action plan's follow-up (reports, indicators, measurements),
the report and measurement forms, the obstacles put before the mayor, the evaluation and the
reporting rhythm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from plans import charts
from plans.constants import PlanState
from plans.models import (
    ActionPlan,
    Escalation,
    Goal,
    GoalEvaluation,
    Indicator,
    Measurement,
    ProgressReport,
)
from plans.monitor import (
    MONITORED_STATES,
    action_plan_rows,
    closed_on,
    indicator_rows,
    plan_window,
)
from plans.services.steering import (
    escalation_answer,
    escalation_raise,
    evaluation_problems,
    evaluation_write,
    grace_days,
    is_mayor,
    may_report,
    measurement_record,
    measurement_update,
    report_submit,
    report_update,
    reportable_periods,
    reporting_set,
)
from plans.steering_forms import (
    AnswerForm,
    EscalationForm,
    EvaluationForm,
    MeasurementForm,
    ReportForm,
    ReportingForm,
)
from safetynet.concurrency import EditConflict, conflict_response, latest_version
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin

from .plans import PlanPageMixin, plan_url

ESCALATIONS_PER_PAGE = 20


def steering_url(plan, action_plan) -> str:
    return reverse(
        "plans:steering",
        kwargs={
            "municipality": plan.municipality.slug,
            "pk": plan.pk,
            "action_plan": action_plan.pk,
        },
    )


def short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def indicator_chart(row, plan, chart_id: str):
    """The line chart of one indicator (a monitor ``IndicatorRow``)."""
    indicator = row.indicator
    start, end = plan_window(plan)
    return charts.line_chart(
        [charts.LinePoint(day, value) for day, value in row.measurements],
        chart_id=chart_id,
        title=indicator.name,
        start=start,
        end=end,
        baseline=indicator.baseline,
        target=indicator.target,
        unit=indicator.unit,
        target_label=_("target"),
        baseline_label=_("baseline"),
        empty_text=_("no measurement yet"),
        date_text=short_date,
    )


class SteeringMixin(PlanPageMixin):
    """A phase 4 page of a plan in steering (or closed: then read-only)."""

    permission_required = "plans.view_plan"

    def check_monitored(self):
        if self.plan.state not in MONITORED_STATES:
            raise Http404

    def refuse(self, form, error: ValidationError):
        add_service_error(form, error)
        return self.form_invalid(form)


class ActionPlanMixin(SteeringMixin):
    @cached_property
    def action_plan(self) -> ActionPlan:
        self.check_monitored()
        try:
            return (
                ActionPlan.objects.select_related("goal__plan", "promotor", "working_group")
                .filter(goal__plan=self.plan, archived_at__isnull=True)
                .get(pk=self.kwargs["action_plan"])
            )
        except ActionPlan.DoesNotExist:
            raise Http404 from None

    @property
    def back_url(self) -> str:
        return steering_url(self.plan, self.action_plan)

    def check_may_report(self):
        if not may_report(self.request.user, self.action_plan):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        kwargs.pop("action_plan", None)  # the URL's id; the context gets the object
        return super().get_context_data(
            action_plan=self.action_plan, cancel_url=self.back_url, **kwargs
        )


class ReportingFormView(ActionPlanMixin, MunicipalityMixin, FormView):
    """A form of the action plan's promotor or the coordinator: 403 for anyone else (after
    the 404 of an action plan that is not this plan's)."""

    def get(self, request, *args, **kwargs):
        self.check_may_report()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_may_report()
        return super().post(request, *args, **kwargs)


class ActionPlanSteeringView(ActionPlanMixin, MunicipalityMixin, TemplateView):
    """One action plan in steering: its reports, what it owes, its indicators with their
    measurements and charts, and the obstacles raised about it."""

    template_name = "plans/steering/action_plan.html"

    def get_context_data(self, **kwargs):
        plan, action_plan = self.plan, self.action_plan
        day = closed_on(plan)
        rows = [
            row
            for row in action_plan_rows(plan, day or timezone.localdate(), grace_days())
            if row.action_plan.pk == action_plan.pk
        ]
        indicators = indicator_rows(plan, rows)
        for number, row in enumerate(indicators):
            row.chart = indicator_chart(row, plan, f"indicator-{row.indicator.pk}-{number}")
        reports = list(
            ProgressReport.objects.filter(action_plan=action_plan)
            .select_related("author")
            .order_by("-period_end", "-pk")
        )
        may = may_report(self.request.user, action_plan) and plan.state == PlanState.STEERING
        return super().get_context_data(
            row=rows[0] if rows else None,
            reports=reports,
            indicators=indicators,
            may_report=may,
            escalations=Escalation.objects.filter(action_plan=action_plan).order_by("-raised_at"),
            **kwargs,
        )


class ReportCreateView(ReportingFormView):
    template_name = "plans/steering/report_form.html"
    form_class = ReportForm

    @cached_property
    def periods(self):
        return reportable_periods(self.action_plan)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "action_plan": self.action_plan,
            "periods": self.periods,
        }

    def get_initial(self):
        latest = self.action_plan.reports.order_by("-period_end").first()
        if latest is None:
            return {"percent": 0}
        return {
            "status": latest.status,
            "percent": latest.percent,
            "budget_spent": latest.budget_spent,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Report progress"), periods=self.periods, **kwargs)

    def form_valid(self, form):
        try:
            report_submit(
                action_plan=self.action_plan, by=self.request.user, **form.service_fields()
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The progress report has been saved."))
        return redirect(self.back_url)


class ReportEditView(ReportingFormView):
    template_name = "plans/steering/report_form.html"
    form_class = ReportForm

    @cached_property
    def report(self) -> ProgressReport:
        try:
            return self.action_plan.reports.get(pk=self.kwargs["report"])
        except ProgressReport.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.report,
            "action_plan": self.action_plan,
            "editing": True,
        }

    def get_initial(self):
        return {"version": latest_version(self.report)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Correct the progress report"), report=self.report, **kwargs
        )

    def form_valid(self, form):
        fields = form.service_fields()
        version = form.cleaned_data.get("version")
        self.report.refresh_from_db()
        try:
            report_update(report=self.report, by=self.request.user, version=version, **fields)
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.report)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The progress report has been corrected."))
        return redirect(self.back_url)


class MeasurementCreateView(ReportingFormView):
    template_name = "plans/steering/measurement_form.html"
    form_class = MeasurementForm

    @cached_property
    def indicator(self) -> Indicator:
        try:
            return Indicator.objects.get(
                pk=self.kwargs["indicator"],
                expected_result__action_plan=self.action_plan,
                archived_at__isnull=True,
            )
        except Indicator.DoesNotExist:
            raise Http404 from None

    def get_initial(self):
        return {"date": timezone.localdate(), "source": self.indicator.source}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a measurement"), indicator=self.indicator, **kwargs
        )

    def form_valid(self, form):
        try:
            measurement_record(
                indicator=self.indicator, by=self.request.user, **form.service_fields()
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The measurement has been recorded."))
        return redirect(self.back_url)


class MeasurementEditView(ReportingFormView):
    template_name = "plans/steering/measurement_form.html"
    form_class = MeasurementForm

    @cached_property
    def measurement(self) -> Measurement:
        try:
            return Measurement.objects.select_related("indicator").get(
                pk=self.kwargs["measurement"],
                indicator__expected_result__action_plan=self.action_plan,
            )
        except Measurement.DoesNotExist:
            raise Http404 from None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.measurement}

    def get_initial(self):
        return {"version": latest_version(self.measurement)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Correct the measurement"), indicator=self.measurement.indicator, **kwargs
        )

    def form_valid(self, form):
        version = form.cleaned_data.get("version")
        self.measurement.refresh_from_db()
        try:
            measurement_update(
                measurement=self.measurement,
                by=self.request.user,
                version=version,
                **form.service_fields(),
            )
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.measurement)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The measurement has been corrected."))
        return redirect(self.back_url)


# --- Obstacles for the mayor -------------------------------------------------------------------


class EscalationsView(SteeringMixin, MunicipalityMixin, FormView):
    """The obstacles put before the mayor about this plan: the coordinator raises them, the
    mayor answers them here."""

    template_name = "plans/steering/escalations.html"
    permission_required = "plans.view_escalation"
    form_class = EscalationForm

    def get_form_kwargs(self):
        self.check_monitored()
        goals = Goal.objects.filter(plan=self.plan, archived_at__isnull=True).order_by(
            "parent_id", "order", "pk"
        )
        action_plans = ActionPlan.objects.filter(
            goal__plan=self.plan, archived_at__isnull=True, goal__archived_at__isnull=True
        ).order_by("goal__order", "order", "pk")
        return {**super().get_form_kwargs(), "goals": goals, "action_plans": action_plans}

    def get_context_data(self, **kwargs):
        plan = self.plan
        shown = self.request.GET.get("show", "")
        escalations = (
            Escalation.objects.filter(plan=plan)
            .select_related("goal", "action_plan", "raised_by", "answered_by")
            .order_by("-raised_at", "-pk")
        )
        if shown == "open":
            escalations = escalations.filter(answered_at__isnull=True)
        elif shown == "answered":
            escalations = escalations.filter(answered_at__isnull=False)
        page = Paginator(escalations, ESCALATIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        shown_escalations = list(page.object_list)
        for escalation in shown_escalations:
            escalation.plan = plan  # the subject of one that names no goal or action plan
        steering = plan.state == PlanState.STEERING
        return super().get_context_data(
            escalations=shown_escalations,
            page_obj=page,
            shown=shown,
            may_raise=steering and self.may("plans.add_escalation", plan),
            may_answer=is_mayor(self.request.user, plan.municipality_id),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may("plans.add_escalation", self.plan):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            escalation_raise(plan=self.plan, by=self.request.user, **form.service_fields())
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The obstacle has been put before the mayor."))
        return redirect(self.request.path)


class EscalationAnswerView(SteeringMixin, MunicipalityMixin, FormView):
    template_name = "plans/steering/escalation_answer.html"
    permission_required = "plans.view_escalation"
    form_class = AnswerForm

    @cached_property
    def escalation(self) -> Escalation:
        try:
            return Escalation.objects.select_related("goal", "action_plan", "raised_by").get(
                plan=self.plan, pk=self.kwargs["escalation"]
            )
        except Escalation.DoesNotExist:
            raise Http404 from None

    def check_mayor(self):
        self.escalation  # noqa: B018 (404 before 403)
        if not is_mayor(self.request.user, self.plan.municipality_id):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.check_mayor()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_mayor()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            escalation=self.escalation,
            cancel_url=reverse(
                "plans:escalations",
                kwargs={"municipality": self.municipality.slug, "pk": self.plan.pk},
            ),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            escalation_answer(escalation=self.escalation, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Your answer has been sent to the coordinator."))
        return redirect("plans:escalations", municipality=self.municipality.slug, pk=self.plan.pk)


# --- Evaluation and the reporting rhythm ------------------------------------------------------


class EvaluationView(SteeringMixin, MunicipalityMixin, TemplateView):
    """The coordinator's evaluation, goal by goal, before closing the plan; read by everyone
    once written."""

    template_name = "plans/steering/evaluation.html"

    def goals(self, data=None):
        self.check_monitored()
        goals = list(
            Goal.objects.filter(plan=self.plan, archived_at__isnull=True)
            .select_related("evaluation")
            .order_by("parent_id", "order", "pk")
        )
        strategic = [g for g in goals if g.parent_id is None]
        ordered = []
        for goal in strategic:
            ordered.append(goal)
            ordered += [g for g in goals if g.parent_id == goal.pk]
        for goal in ordered:
            evaluation = _evaluation_of(goal)
            goal.current_evaluation = evaluation
            initial = (
                {"result": evaluation.result, "lessons": evaluation.lessons} if evaluation else {}
            )
            goal.form = EvaluationForm(data, prefix=f"goal-{goal.pk}", initial=initial)
        return ordered

    @property
    def may_write(self) -> bool:
        return self.plan.state == PlanState.STEERING and self.may("plans.close_plan", self.plan)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("goals", self.goals())
        return super().get_context_data(
            may_write=self.may_write,
            problems=evaluation_problems(self.plan) if self.may_write else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.may_write:
            raise PermissionDenied
        goals = self.goals(request.POST)
        filled = [g for g in goals if g.form.has_changed() or g.current_evaluation]
        if not filled:
            messages.warning(request, _("Write the result of at least one goal."))
            return self.render_to_response(self.get_context_data(goals=goals))
        if all(g.form.is_valid() for g in filled):
            try:
                for goal in filled:
                    evaluation_write(goal=goal, by=request.user, **goal.form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The evaluation has been saved."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(goals=goals))


def _evaluation_of(goal) -> GoalEvaluation | None:
    try:
        return goal.evaluation
    except GoalEvaluation.DoesNotExist:
        return None


class ReportingView(SteeringMixin, MunicipalityMixin, FormView):
    template_name = "plans/reason_form.html"
    permission_required = "plans.change_plan"
    form_class = ReportingForm

    def get_initial(self):
        self.check_monitored()
        return {
            "report_frequency": self.plan.report_frequency,
            "reports_from": self.plan.reports_from,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Reporting rhythm"),
            hint=_(
                "Promotors report on each of their action plans once per period; a report is "
                "due %(days)s days after its period ends."
            )
            % {"days": grace_days()},
            **kwargs,
        )

    def form_valid(self, form):
        try:
            reporting_set(plan=self.plan, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("The reporting rhythm has been saved."))
        return redirect(plan_url(self.plan))
