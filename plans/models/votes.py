"""The decisions on a plan: the workflow's own record of every transition, the college's online
vote rounds bound to a snapshot of the content, and the council's decision."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from plans.constants import PlanState, RoundKind, RoundStatus, VoteChoice

from .structure import Plan


class PlanTransition(models.Model):
    """Who moved the plan from which state to which, when and why (the workflow's own record,
    beside the plan's history)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="transitions"
    )
    source = models.CharField(_("from"), max_length=20, choices=PlanState.choices)
    target = models.CharField(_("to"), max_length=20, choices=PlanState.choices)
    name = models.CharField(_("transition"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    reason = models.TextField(_("reason"), blank=True, max_length=5000)
    vote_round = models.ForeignKey(
        "plans.VoteRound",
        verbose_name=_("vote round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_source_display()} → {self.get_target_display()}"


class VoteRound(models.Model):
    """A college vote on one version of the plan: the canonical snapshot and its SHA-256 are
    stored with the round, the page renders from them, so everyone votes on the same text."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="vote_rounds"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    snapshot = models.JSONField(_("content voted on"), encoder=DjangoJSONEncoder)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    opened_at = models.DateTimeField(_("opened"))
    deadline = models.DateTimeField(_("deadline"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("reference of the college decision"), max_length=100, blank=True)
    reference_url = models.URLField(_("link to the published decision"), blank=True)
    # An adoption round's document: the PDF rendered once from the snapshot when the plan was
    # submitted, in the municipality's official languages; the college votes on that file and
    # the council adopts it. Kept for good (``frozen``), never rendered again.
    document = models.ForeignKey(
        "safetynet.RenderedDocument",
        verbose_name=_("document voted on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["snapshot"])

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("vote round")
        verbose_name_plural = _("vote rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status=RoundStatus.OPEN),
                name="voteround_one_open_per_plan",
                violation_error_message=_("The plan has an open vote round already."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.opened_at:%d/%m/%Y}"

    @property
    def presiding(self):
        """Who breaks a tie and closes the round: the acting chair when one is designated."""
        return self.acting_chair or self.chair


class RoundElector(models.Model):
    """A college member at the round's opening: the electorate is fixed then."""

    vote_round = models.ForeignKey(
        VoteRound, verbose_name=_("vote round"), on_delete=models.CASCADE, related_name="electors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "vote_round__plan__municipality"

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [models.UniqueConstraint(fields=["vote_round", "user"], name="elector_once")]

    def __str__(self):
        return str(self.user)


class Vote(models.Model):
    """One member's vote in a round, changeable until the round decides (history keeps every
    change)."""

    vote_round = models.ForeignKey(
        VoteRound, verbose_name=_("vote round"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("vote"), max_length=20, choices=VoteChoice.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    cast_at = models.DateTimeField(_("cast"))
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "vote_round__plan__municipality"

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["vote_round", "member"], name="vote_once_per_round")
        ]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class CouncilDecision(models.Model):
    """The council's decision on the plan submitted for adoption, recorded by the council
    secretary; the formal decision is published by the municipality's own software."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="council_decisions"
    )
    vote_round = models.ForeignKey(
        VoteRound,
        verbose_name=_("college round of the version adopted"),
        on_delete=models.PROTECT,
        related_name="council_decisions",
    )
    date = models.DateField(_("date of the council meeting"))
    reference = models.CharField(_("reference"), max_length=100)
    reference_url = models.URLField(_("link to the published decision"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), validators=[MinValueValidator(0)])
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"))
    adopted = models.BooleanField(_("adopted"))
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "plan__municipality"

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.reference} · {self.date:%d/%m/%Y}"
