"""The plan as the college adopts it: plan → strategic goal → operational goal → action plan →
actions, resources, expected results and their indicators.

Items are never hard-deleted once the plan has left draft: removing one in revision sets
``archived_at`` (it stays in history and in diffs against the adopted version)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from actors.models import Actor, TranslatedNameMixin
from coregroup.models import AgendaItem, WorkingGroup
from plans.constants import (
    ActionPlanStatus,
    Availability,
    Frequency,
    FundingSource,
    IndicatorType,
    Objectivity,
    PlanState,
    Priority,
    ReportFrequency,
    ResourceKind,
)
from safetynet.models import Municipality


class Archivable(models.Model):
    """An item of a plan's content that can be archived instead of deleted."""

    order = models.PositiveIntegerField(_("order"), default=0)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)

    class Meta:
        abstract = True


class Phenomenon(TranslatedNameMixin):
    """A security phenomenon: the federal framework note's clusters (shipped) or a
    municipality's own addition."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="phenomena",
        help_text=_("Empty for the clusters of the framework note, shared by every municipality."),
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("phenomenon")
        verbose_name_plural = _("phenomena")
        ordering = ["order", "name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="phenomenon_shipped_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=Q(municipality__isnull=False),
                name="phenomenon_local_code_unique",
                violation_error_message=_("The municipality has this phenomenon already."),
            ),
        ]


class Plan(models.Model):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    summary = models.TextField(_("summary"), blank=True, max_length=20000)
    state = models.CharField(
        _("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    consultation_opens = models.DateTimeField(_("consultation opens"), null=True, blank=True)
    consultation_closes = models.DateTimeField(_("consultation closes"), null=True, blank=True)
    # The vote round whose snapshot the council adopted: the adopted version, frozen.
    adopted_round = models.OneToOneField(
        "plans.VoteRound",
        verbose_name=_("adopted version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_plan",
    )
    # Phase 4: how often promotors report, and from which day (the council's adoption).
    report_frequency = models.PositiveSmallIntegerField(
        _("reporting rhythm"),
        choices=ReportFrequency.choices,
        default=ReportFrequency.QUARTERLY,
    )
    reports_from = models.DateField(
        _("reports from"),
        null=True,
        blank=True,
        help_text=_("Reports are owed for every period ending on or after this day."),
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("security plan")
        verbose_name_plural = _("security plans")
        ordering = ["-period_start", "title"]
        permissions = [
            ("submit_plan", _("Can submit the plan to the college")),
            ("withdraw_plan", _("Can withdraw the plan from a vote")),
            ("close_consultation", _("Can close the public consultation")),
            ("close_plan", _("Can close the plan")),
            ("vote_plan", _("Can vote on the plan in the college")),
            ("view_votes", _("Can see how each college member voted")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_period_in_order",
                violation_error_message=_("The last year cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=Q(consultation_opens__isnull=True)
                | Q(consultation_closes__isnull=True)
                | Q(consultation_closes__gt=F("consultation_opens")),
                name="plan_consultation_in_order",
                violation_error_message=_("The consultation must close after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.period_start}–{self.period_end})"


class Goal(Archivable):
    """A strategic goal (no parent) or an operational goal under one."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("strategic goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operational_goals",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    police_plan_reference = models.CharField(
        _("reference in the zonal security plan"), max_length=100, blank=True
    )
    multiyear_plan_code = models.CharField(
        _("code in the multi-year plan"), max_length=100, blank=True
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_strategic(self) -> bool:
        return self.parent_id is None


class GoalPhenomenon(models.Model):
    """A phenomenon a goal addresses (an explicit through model: its changes have history)."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="goal_phenomena"
    )
    phenomenon = models.ForeignKey(
        Phenomenon, verbose_name=_("phenomenon"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "goal__plan__municipality"

    class Meta:
        verbose_name = _("phenomenon of a goal")
        verbose_name_plural = _("phenomena of goals")
        constraints = [
            models.UniqueConstraint(fields=["goal", "phenomenon"], name="goalphenomenon_once")
        ]

    def __str__(self):
        return str(self.phenomenon)


class ActionPlan(Archivable):
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    promotor = models.ForeignKey(
        Actor,
        verbose_name=_("promotor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promoted_action_plans",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionPlanStatus.choices,
        default=ActionPlanStatus.PLANNED,
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "goal__plan__municipality"

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="actionplan_end_after_start",
                violation_error_message=_("The end cannot come before the start."),
            ),
        ]

    def __str__(self):
        return self.title


class ActionPlanPartner(models.Model):
    """A partner actor of an action plan (explicit through model, with history)."""

    action_plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="partners"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="partnerships"
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["action_plan", "actor"], name="partner_once")
        ]

    def __str__(self):
        return str(self.actor)


class ExpectedResult(Archivable):
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="expected_results",
    )
    text = models.CharField(_("expected result"), max_length=500)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Action(Archivable):
    action_plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=300)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Resource(Archivable):
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ResourceKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("e.g. EUR, FTE"))
    availability = models.CharField(_("availability"), max_length=20, choices=Availability.choices)
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices, blank=True
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="resource_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount} {self.unit}".strip()


class Indicator(Archivable):
    expected_result = models.ForeignKey(
        ExpectedResult,
        verbose_name=_("expected result"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=IndicatorType.choices)
    objectivity = models.CharField(
        _("objective or subjective"), max_length=20, choices=Objectivity.choices
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, blank=True
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "expected_result__action_plan__goal__plan__municipality"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Discussion(models.Model):
    """Where the kerngroep discussed the plan, a goal or an action plan: an agenda item of one
    of its meetings, with the content hash of the version discussed (the domain text's "in
    overleg": to be submitted, the version must have been discussed and decided on)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="discussions"
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="plan_discussions",
    )
    content_hash = models.CharField(_("version discussed"), max_length=64)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("discussion in the core group")
        verbose_name_plural = _("discussions in the core group")

    def __str__(self):
        return str(self.agenda_item)
