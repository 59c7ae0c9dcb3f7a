"""Phase 4, steering and follow-up: the promotors' progress reports, the indicators'
measurements, the coordinator's line to the mayor, and the evaluation that closes the plan.

None of this is part of the adopted content (``plans.content``): it moves while the plan is
carried out, and the adopted version stays frozen."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from plans.constants import ReportStatus

from .structure import ActionPlan, Goal, Indicator, Plan


class ProgressReport(models.Model):
    """A promotor's report on one action plan for one reporting period."""

    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    period_end = models.DateField(
        _("period"), help_text=_("The last day of the period the report covers.")
    )
    date = models.DateField(_("reported on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices)
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    text = models.TextField(_("report"), max_length=10000)
    budget_spent = models.DecimalField(
        _("budget spent so far (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # The actions ticked off with this report (their ``done`` is set by the service).
    actions_done = models.JSONField(_("actions ticked off"), default=list, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "period_end"],
                name="report_once_per_period",
                violation_error_message=_("This action plan has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="report_percent_in_range",
                violation_error_message=_("Give a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__gte=0),
                name="report_spent_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["action_plan", "-period_end"])]

    def __str__(self):
        return f"{self.action_plan} · {self.period_end:%Y-%m-%d}"


class Measurement(models.Model):
    """One value of an indicator on a date (the baseline is the indicator's own)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "indicator__expected_result__action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="measurement_once_per_day",
                violation_error_message=_("This indicator has a measurement on this date."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.date:%Y-%m-%d})"


class Escalation(models.Model):
    """An obstacle the coordinator puts before the mayor (the domain text's direct line): it
    stands on the mayor's dashboard until the mayor answers."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="escalations"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    text = models.TextField(_("obstacle"), max_length=5000)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised on"))
    answer = models.TextField(_("the mayor's answer"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("obstacle for the mayor")
        verbose_name_plural = _("obstacles for the mayor")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(action_plan__isnull=True),
                name="escalation_one_subject",
                violation_error_message=_("Choose a goal or an action plan, not both."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="escalation_answer_has_text",
                violation_error_message=_("Write the answer."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def subject(self):
        return self.action_plan or self.goal or self.plan

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class GoalEvaluation(models.Model):
    """The coordinator's evaluation of one goal when the plan ends: its result and the
    lessons for the next plan."""

    goal = models.OneToOneField(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="evaluation"
    )
    result = models.TextField(_("result"), max_length=10000)
    lessons = models.TextField(_("lessons"), blank=True, max_length=10000)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "goal__plan__municipality"

    class Meta:
        verbose_name = _("evaluation of a goal")
        verbose_name_plural = _("evaluations of goals")

    def __str__(self):
        return str(self.goal)


class ReportReminder(models.Model):
    """A reminder e-mailed about one report (before it is due, or once overdue): recorded so
    the daily command never sends the same reminder twice."""

    class Kind(models.TextChoices):
        DUE = "due", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    action_plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="report_reminders"
    )
    period_end = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action_plan", "period_end", "kind"], name="reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.period_end:%Y-%m-%d}"
