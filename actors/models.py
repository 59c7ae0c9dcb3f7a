"""The actors of a municipality's safety network, their dated roles, the coordinator's
appointment and the organogram.

Every model declares ``MUNICIPALITY_PATH`` (the lookup to its municipality) and keeps its history.
Nothing here is hard-deleted once referenced: actors are deactivated, roles are ended."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from safetynet.constants import Infrastructure
from safetynet.models import Municipality

from .constants import ActorCategory, ActorForm, AppointmentOption, OrgFunction, OrgLevel, RoleType


def _in_language(obj, field: str) -> str:
    """The reader's language, else Dutch: data rows are written in Dutch first."""
    language = (translation.get_language() or "nl")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_nl")


class TranslatedNameMixin(models.Model):
    """A name kept in the three languages, for rows that are data rather than code."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=150)
    name_fr = models.CharField(_("name (French)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class ActorKind(TranslatedNameMixin):
    """A kind of actor from the domain text (shipped as data) or added by a municipality."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actor_kinds",
        help_text=_("Empty for the kinds of the domain text, shared by every municipality."),
    )
    code = models.SlugField(_("code"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=ActorCategory.choices)
    examples_nl = models.CharField(_("examples (Dutch)"), max_length=300, blank=True)
    examples_fr = models.CharField(_("examples (French)"), max_length=300, blank=True)
    examples_en = models.CharField(_("examples (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("kind of actor")
        verbose_name_plural = _("kinds of actor")
        ordering = ["order", "name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="actorkind_global_code_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="actorkind_code_unique",
                violation_error_message=_("This municipality already has a kind with this code."),
            ),
        ]

    @property
    def examples(self) -> str:
        return _in_language(self, "examples")

    def clean(self):
        super().clean()
        shipped = ActorKind.objects.filter(municipality__isnull=True, code=self.code)
        if self.municipality_id and shipped.exclude(pk=self.pk).exists():
            raise ValidationError({"code": _("This code belongs to a kind of the domain text.")})


class Actor(models.Model):
    """An organisation or a person in the municipality's safety network."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="actors",
    )
    form = models.CharField(_("organisation or person"), max_length=20, choices=ActorForm.choices)
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        ActorKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="actors"
    )
    organisation = models.ForeignKey(
        "self",
        verbose_name=_("belongs to organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    function_title = models.CharField(
        _("function"),
        max_length=200,
        blank=True,
        help_text=_("E.g. alderman for welfare, chief of police, prevention officer."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    consult = models.BooleanField(
        _("invite to public consultations"),
        default=False,
        help_text=_("E-mailed when the consultation on a security plan opens."),
    )
    active = models.BooleanField(_("active"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actors",
        help_text=_("For a person who logs in: what they may see and do follows this link."),
    )
    source_suggestion = models.ForeignKey(
        "SuggestionRule",
        verbose_name=_("added from the suggestion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_key = models.CharField(
        _("external key"),
        max_length=100,
        blank=True,
        help_text=_("The key of this actor in an imported list: a new import updates it."),
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_key"],
                condition=~Q(external_key=""),
                name="actor_external_key_unique",
                violation_error_message=_("Another actor already has this external key."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(user__isnull=False),
                name="actor_user_unique",
                violation_error_message=_("This user account is already linked to an actor."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(form=ActorForm.PERSON),
                name="actor_user_is_person",
                violation_error_message=_("Only a person can be linked to a user account."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "active", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "actors:actor-detail", kwargs={"municipality": self.municipality.slug, "pk": self.pk}
        )

    @property
    def category(self) -> str:
        return self.kind.category

    def clean(self):
        super().clean()
        errors = {}
        if self.kind_id and self.kind.municipality_id not in (None, self.municipality_id):
            errors["kind"] = _("Choose a kind of this municipality.")
        if self.organisation_id:
            organisation = self.organisation
            if organisation.municipality_id != self.municipality_id:
                errors["organisation"] = _("Choose an organisation of this municipality.")
            elif organisation.form != ActorForm.ORGANISATION:
                errors["organisation"] = _("Only an organisation can have people.")
            elif organisation.pk == self.pk:
                errors["organisation"] = _("An actor cannot belong to itself.")
            if self.form != ActorForm.PERSON:
                errors["organisation"] = _("Only a person belongs to an organisation.")
        if self.pk and self.form == ActorForm.PERSON and self.people.exists():
            errors["form"] = _("People belong to this organisation: it cannot become a person.")
        if errors:
            raise ValidationError(errors)


class RoleAssignment(models.Model):
    """A role an actor holds from a date, with the function profile of that time.

    Roles change with circumstances, so they are dated and never overwritten: a change ends the
    assignment and starts a new one."""

    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=RoleType.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("E.g. promotor of the drugs plan.")
    )
    function_profile = models.TextField(
        _("function profile"),
        blank=True,
        max_length=5000,
        help_text=_("Tasks, mandate and expected contribution in this role."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "actor__municipality"

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-start", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="roleassignment_end_after_start",
                violation_error_message=_("A role cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["role", "start", "end"])]

    def __str__(self):
        return f"{self.get_role_display()} · {self.actor}"

    def held_on(self, day) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class CoordinatorAppointment(models.Model):
    """Who carries the coordinator's function, and how (the domain text's options)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="coordinator_appointments",
    )
    option = models.CharField(_("option"), max_length=30, choices=AppointmentOption.choices)
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("who carries the tasks"),
        on_delete=models.PROTECT,
        related_name="coordinator_appointments",
    )
    police_risk_acknowledged = models.BooleanField(
        _("the risk of narrowing security to police security is acknowledged"), default=False
    )
    motivation = models.TextField(_("motivation"), blank=True, max_length=5000)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("coordinator's appointment")
        verbose_name_plural = _("coordinator's appointments")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(option=AppointmentOption.POLICE) | Q(police_risk_acknowledged=True),
                name="appointment_police_acknowledged",
                violation_error_message=_(
                    "Appointing someone from the police needs the explicit confirmation."
                ),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(end__isnull=True),
                name="appointment_one_current",
                violation_error_message=_("The municipality already has a current appointment."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="appointment_end_after_start",
                violation_error_message=_("An appointment cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_option_display()} · {self.actor}"


class OrgUnit(models.Model):
    """A unit of the organogram: the strategic level, the coordinator as the link, the
    operational level."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="org_units",
    )
    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=20, choices=OrgLevel.choices)
    function = models.CharField(
        _("function"), max_length=30, choices=OrgFunction.choices, default=OrgFunction.OTHER
    )
    is_staff = models.BooleanField(
        _("staff function"),
        default=False,
        help_text=_("Drawn beside the unit it is under, not below it."),
    )
    holder = models.ForeignKey(
        Actor,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="org_units",
    )
    direct_line_to = models.ForeignKey(
        "self",
        verbose_name=_("direct line to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_lines_from",
        help_text=_("A direct reporting line besides the hierarchy, e.g. to the mayor."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for field in ("parent", "direct_line_to"):
            other = getattr(self, field)
            if other is not None and other.municipality_id != self.municipality_id:
                errors[field] = _("Choose a unit of this municipality.")
        if self.holder_id and self.holder.municipality_id != self.municipality_id:
            errors["holder"] = _("Choose an actor of this municipality.")
        if self.pk and self.parent_id and "parent" not in errors:
            seen, unit = {self.pk}, self.parent
            while unit is not None:
                if unit.pk in seen:
                    errors["parent"] = _("A unit cannot be placed under itself or its own units.")
                    break
                seen.add(unit.pk)
                unit = unit.parent
        if errors:
            raise ValidationError(errors)


class SuggestionRule(TranslatedNameMixin):
    """ "This municipality has X, so its network may need Y": data, one sentence of reason."""

    infrastructure = models.CharField(
        _("infrastructure"), max_length=30, choices=Infrastructure.choices
    )
    kind = models.ForeignKey(
        ActorKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="suggestions"
    )
    reason_nl = models.CharField(_("reason (Dutch)"), max_length=300)
    reason_fr = models.CharField(_("reason (French)"), max_length=300, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suggestion rule")
        verbose_name_plural = _("suggestion rules")
        ordering = ["infrastructure", "name_nl"]

    @property
    def reason(self) -> str:
        return _in_language(self, "reason")


class SuggestionDismissal(models.Model):
    """The coordinator set a suggestion aside, with a reason (kept in history)."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(
        SuggestionRule, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "rule"], name="dismissal_unique")
        ]

    def __str__(self):
        return f"{self.rule} · {self.reason}"
