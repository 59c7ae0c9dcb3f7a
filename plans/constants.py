"""Choices of the plans app, with translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanState(models.TextChoices):
    """The states of DESIGN.md's phase diagram."""

    DRAFT = "draft", _("Draft")
    COLLEGE_REVIEW = "college_review", _("Approval by the college")
    CONSULTATION = "consultation", _("Public consultation")
    REVISION = "revision", _("Revision")
    COLLEGE_ADOPTION = "college_adoption", _("Adoption by the college")
    COUNCIL_ADOPTION = "council_adoption", _("Adoption by the council")
    STEERING = "steering", _("Steering and follow-up")
    CLOSED = "closed", pgettext_lazy("plan", "Closed")


class Phase(models.IntegerChoices):
    """The four phases of the domain text."""

    PROGRAMME = 1, _("Action programme in consultation, approval by the college")
    CONSULTATION = 2, _("Presentation to the population and external organisations")
    ADAPTATION = 3, _("Adaptation, definitive plan by college and council")
    STEERING = 4, _("Steering and follow-up")


PHASE_OF_STATE = {
    PlanState.DRAFT: Phase.PROGRAMME,
    PlanState.COLLEGE_REVIEW: Phase.PROGRAMME,
    PlanState.CONSULTATION: Phase.CONSULTATION,
    PlanState.REVISION: Phase.ADAPTATION,
    PlanState.COLLEGE_ADOPTION: Phase.ADAPTATION,
    PlanState.COUNCIL_ADOPTION: Phase.ADAPTATION,
    PlanState.STEERING: Phase.STEERING,
    PlanState.CLOSED: Phase.STEERING,
}

# States in which the content may be edited, and those in which removing archives an item.
EDITABLE_STATES = (PlanState.DRAFT, PlanState.REVISION)


class ActionPlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("action plan", "Done")
    STOPPED = "stopped", _("Stopped")


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class ResourceKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    STAFF = "staff", _("Staff (FTE)")
    INTERNAL_KNOWLEDGE = "internal_knowledge", _("Internal knowledge")
    EXTERNAL_KNOWLEDGE = "external_knowledge", _("External knowledge")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    REQUIRED = "required", _("Still required")


class FundingSource(models.TextChoices):
    OWN = "own", _("Own funds")
    FEDERAL = "federal", _("Federal security plan grant")
    REGIONAL = "regional", _("Regional grant")
    POLICE_ZONE = "police_zone", _("Police zone")
    OTHER = "other", _("Other")


class IndicatorType(models.TextChoices):
    INPUT = "input", _("Input")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


class Objectivity(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    SUBJECTIVE = "subjective", _("Subjective")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    ONCE = "once", _("Once")


class RoundKind(models.TextChoices):
    APPROVAL = "approval", _("Approval of the action programme")
    ADOPTION = "adoption", _("Adoption of the definitive plan")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    NO_DECISION = "no_decision", _("No decision (no quorum)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VoteChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    ABSTAIN = "abstain", _("Abstain")


class RemarkStatus(models.TextChoices):
    NEW = "new", _("New")
    PUBLISHED = "published", _("Published")
    SPAM = "spam", _("Spam")


class RemarkSource(models.TextChoices):
    ONLINE = "online", _("The public page")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Information evening")
    OTHER = "other", _("Other")


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class ReportStatus(models.TextChoices):
    """How an action plan stands, as its promotor reports it (phase 4)."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", pgettext_lazy("report", "Done")
    STOPPED = "stopped", pgettext_lazy("report", "Stopped")


# The action plan's own status follows its latest report.
ACTION_PLAN_STATUS_OF_REPORT = {
    ReportStatus.NOT_STARTED: ActionPlanStatus.PLANNED,
    ReportStatus.ON_TRACK: ActionPlanStatus.RUNNING,
    ReportStatus.AT_RISK: ActionPlanStatus.RUNNING,
    ReportStatus.DELAYED: ActionPlanStatus.RUNNING,
    ReportStatus.DONE: ActionPlanStatus.DONE,
    ReportStatus.STOPPED: ActionPlanStatus.STOPPED,
}

# After a report with one of these, the action plan owes no further reports.
FINAL_REPORT_STATUSES = (ReportStatus.DONE, ReportStatus.STOPPED)

# Reports that call for the coordinator's attention.
TROUBLE_REPORT_STATUSES = (ReportStatus.AT_RISK, ReportStatus.DELAYED)


class ReportFrequency(models.IntegerChoices):
    """The reporting rhythm of a plan in steering: the length of a period, in months. Periods
    follow the calendar (quarters end on 31 March, 30 June, 30 September, 31 December)."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    HALF_YEARLY = 6, _("Half-yearly")
    YEARLY = 12, _("Yearly")
