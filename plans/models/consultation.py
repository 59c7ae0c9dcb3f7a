"""Phase 2: residents' and organisations' remarks on the plan, and the answers to them.

A remark keeps its sender's personal data (name, e-mail address, the hashed address it came
from) only as long as the retention setting allows: ``remarks_purge`` clears them, in the
history tables too, and keeps the redacted text."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from plans.constants import RemarkSource, RemarkStatus, Verdict

from .structure import ActionPlan, Goal, Plan

PERSONAL_FIELDS = ("name", "email", "address_hash")


class Remark(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="remarks"
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    text = models.TextField(_("remark"), max_length=5000)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    name_public = models.BooleanField(
        _("the organisation asks to be named"),
        default=False,
        help_text=_("Only organisations are named when their remark is published."),
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("about the goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remarks",
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("about the action plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remarks",
    )
    source = models.CharField(
        _("received through"),
        max_length=20,
        choices=RemarkSource.choices,
        default=RemarkSource.ONLINE,
    )
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RemarkStatus.choices, default=RemarkStatus.NEW
    )
    redacted_text = models.TextField(
        _("published text"),
        blank=True,
        max_length=5000,
        help_text=_("The remark as the public page shows it, without names of third persons."),
    )
    # A keyed hash of the address the remark came from, for the rate limit; never the address.
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    personal_data_removed_on = models.DateField(
        _("personal data removed on"), null=True, blank=True
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RemarkStatus.PUBLISHED) | ~Q(redacted_text=""),
                name="remark_published_has_text",
                violation_error_message=_("Write the text to publish."),
            ),
        ]

    def __str__(self):
        return self.reference


class Response(models.Model):
    """The municipality's answer to a remark, published with the adapted plan."""

    remark = models.OneToOneField(
        Remark, verbose_name=_("remark"), on_delete=models.CASCADE, related_name="response"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    motivation = models.TextField(_("motivation"), max_length=5000)
    changed_action_plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan changed in response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal changed in response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "remark__plan__municipality"

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.remark} · {self.get_verdict_display()}"
