"""The local integral security monitor at ``/<municipality>/monitor/``: the plan in steering
at a glance, its indicators with their charts, and its tables as CSV and XLSX."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from plans import charts, exports
from plans.documents import monitor_report_document
from plans.models import Plan
from plans.monitor import MONITORED_STATES, Filters, build, monitored_plans, status_choices
from plans.services.steering import grace_days
from plans.steering_forms import MonitorFilterForm
from plans.versions import TIMEOUT, monitor_version
from safetynet.audit import Refused, log_export
from safetynet.document_views import document_response
from safetynet.mixins import MunicipalityMixin

from .documents import LanguageMixin
from .steering import indicator_chart, short_date

INDICATORS_PER_PAGE = 10
CHANGES_SHOWN = 10


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def money(value) -> str:
    return f"€ {value:,.0f}".replace(",", ".")


class MonitorMixin(MunicipalityMixin):
    permission_required = "plans.view_plan"
    with_changes = False  # the changes since adoption: on the monitor's own page only

    @cached_property
    def plans(self):
        return list(self.visible("plans.view_plan", monitored_plans(self.municipality)))

    @cached_property
    def plan(self):
        """The plan asked for (``?plan=``), else the one in steering (or the latest closed)."""
        wanted = _int(self.request.GET.get("plan"))
        if wanted is not None:
            plan = next((p for p in self.plans if p.pk == wanted), None)
            if plan is None:
                # Another municipality's plan, or a monitored one this person may not see, is
                # a refusal; a plan without a monitor (not yet adopted) is just not here.
                hidden = (
                    Plan.objects.filter(pk=wanted)
                    .filter(~Q(municipality=self.municipality) | Q(state__in=MONITORED_STATES))
                    .first()
                )
                raise Refused("plans.view_plan", obj=hidden) if hidden else Http404
            return plan
        return self.plans[0] if self.plans else None

    @cached_property
    def filters(self) -> Filters:
        get = self.request.GET
        status = get.get("status", "")
        return Filters(
            goal=_int(get.get("goal")),
            promotor=_int(get.get("promotor")),
            working_group=_int(get.get("working_group")),
            status=status if status in dict(status_choices()) else "",
        )

    @cached_property
    def monitor(self):
        if self.plan is None:
            return None
        self.plan.municipality = self.municipality
        return build(
            self.plan, grace=grace_days(), filters=self.filters, with_changes=self.with_changes
        )

    def get_context_data(self, **kwargs):
        monitor = self.monitor
        form = None
        if monitor is not None:
            form = MonitorFilterForm(
                self.request.GET or None,
                goals=monitor.all_goals,
                promotors=monitor.promotors,
                working_groups=monitor.working_groups,
                statuses=status_choices(),
            )
        return super().get_context_data(
            plan=self.plan, plans=self.plans, monitor=monitor, filter_form=form, **kwargs
        )


def monitor_charts(monitor) -> dict:
    """The monitor's three charts (the indicators have their own page), in the active
    language: for its page and for its PDF report."""
    return {
        "progress_chart": charts.progress_chart(
            [
                charts.ProgressBar(
                    f"— {g.goal.title}" if g.goal.parent_id else g.goal.title,
                    g.progress,
                    _("no report yet") if g.progress is None else f"{g.progress:.0%}",
                )
                for g in monitor.flat_goals
            ],
            chart_id="progress",
            title=_("Progress per goal"),
            empty_text=_("no goals"),
        ),
        "budget_chart": charts.budget_chart(
            [
                charts.BudgetRow(g.goal.title, g.required, g.available, g.spent)
                for g in monitor.goals
            ],
            chart_id="budget",
            title=_("Budget per strategic goal"),
            series_labels=(_("required"), _("available"), _("spent")),
            amount_text=money,
            empty_text=_("no goals"),
        ),
        "gantt_chart": charts.gantt_chart(
            [
                charts.GanttRow(
                    row.action_plan.title,
                    row.action_plan.start,
                    row.action_plan.end,
                    row.status,
                    row.status_label,
                )
                for row in monitor.rows
            ],
            chart_id="timeline",
            title=_("Timeline of the action plans"),
            today=monitor.day,
            start=monitor.window[0],
            end=monitor.window[1],
            today_label=_("today") if monitor.closed_on is None else _("closed"),
            no_dates_text=_("no dates"),
            empty_text=_("no action plans"),
            date_text=short_date,
        ),
    }


class MonitorView(MonitorMixin, TemplateView):
    """The monitor's page. Its body is rendered once per version of the plan's content and
    steering records (``plans.versions.monitor_version``), day, language, query and list of
    plans this person may see, then served from the cache: building it reads 2,000 reports and
    draws three charts."""

    template_name = "plans/monitor/monitor.html"
    body_template = "plans/monitor/includes/body.html"
    with_changes = True

    def body_key(self) -> str:
        plan = self.plan
        parts = (
            plan.pk,
            monitor_version(plan),
            timezone.localdate().isoformat(),
            translation.get_language(),
            self.municipality.slug,
            grace_days(),
            [(other.pk, other.title, other.state) for other in self.plans],
            self.request.GET.urlencode(),
        )
        return "plans:monitor:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def get_context_data(self, **kwargs):
        if self.plan is None:
            return super().get_context_data(**kwargs)
        key = self.body_key()
        body = cache.get(key)
        if body is None:
            context = super().get_context_data(**kwargs)
            monitor = self.monitor
            context.update(
                **monitor_charts(monitor),
                changes=monitor.changes[:CHANGES_SHOWN],
                more_changes=max(0, len(monitor.changes) - CHANGES_SHOWN),
                tables=exports.TABLES,
                query=self.request.GET.urlencode(),
            )
            body = render_to_string(self.body_template, context, request=self.request)
            cache.set(key, body, TIMEOUT)
            return {**context, "body": body}
        # Cached: the page around the body needs only the plan (MonitorMixin's context would
        # build the monitor for its filter form).
        body = SafeString(body)  # nosec B703
        return super(MonitorMixin, self).get_context_data(
            plan=self.plan, plans=self.plans, body=body, **kwargs
        )


class IndicatorMonitorView(MonitorMixin, TemplateView):
    """Every indicator of the plan with its line chart against baseline and target, a page
    at a time."""

    template_name = "plans/monitor/indicators.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        monitor = self.monitor
        if monitor is None:
            return context
        page = Paginator(monitor.indicators, INDICATORS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        for row in page.object_list:
            row.chart = indicator_chart(row, monitor.plan, f"indicator-{row.indicator.pk}")
        context.update(page_obj=page, indicators=page.object_list)
        return context


class ExportView(MonitorMixin, View):
    """One of the monitor's tables, filtered as on the page, as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        table, fmt = kwargs["table"], kwargs["fmt"]
        if table not in exports.BUILDERS or fmt not in exports.FORMATS or self.monitor is None:
            raise Http404
        data = exports.BUILDERS[table](self.monitor)
        body = exports.to_csv(data) if fmt == "csv" else exports.to_xlsx(data)
        response = HttpResponse(body, content_type=exports.FORMATS[fmt])
        name = f"{self.municipality.slug}-monitor-{self.plan.pk}-{table}-{self.monitor.day}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        log_export(
            request, self.plan, municipality=self.municipality, detail=f"monitor {table} ({fmt})"
        )
        return response


class MonitorReportView(LanguageMixin, MonitorMixin, View):
    """``/<municipality>/monitor/report.pdf``: the monitor as a document, filtered as on the
    page, in the page's language (``?lang=`` for another)."""

    def get(self, request, *args, **kwargs):
        if self.monitor is None:
            raise Http404
        language = self.language()
        with translation.override(language):
            document = monitor_report_document(
                self.monitor,
                charts=monitor_charts(self.monitor),
                language=language,
                by=request.user,
            )
        back = reverse("monitor:monitor", kwargs={"municipality": self.municipality.slug})
        return document_response(request, document, back_url=f"{back}?plan={self.plan.pk}")

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)
