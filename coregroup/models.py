"""The kerngroep: its seats by member function and who holds them over time.

Every model declares ``MUNICIPALITY_PATH`` and keeps its history. Holders are dated, never
overwritten: a change ends the holding and starts a new one."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from actors.models import Actor
from safetynet.models import Municipality

from .constants import AttendanceStatus, DocumentKind, SeatFunction, TaskStatus


class CoreGroup(models.Model):
    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="core_group",
    )
    name = models.CharField(_("name"), max_length=150)
    mandate = models.TextField(_("mandate"), blank=True, max_length=5000)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("core group")
        verbose_name_plural = _("core groups")

    def __str__(self):
        return self.name


class Seat(models.Model):
    """A member function of the kerngroep: held by an actor, vacant, or "not present in this
    municipality" (the domain text: as far as these functions exist)."""

    core_group = models.ForeignKey(
        CoreGroup, verbose_name=_("core group"), on_delete=models.CASCADE, related_name="seats"
    )
    function = models.CharField(_("member function"), max_length=30, choices=SeatFunction.choices)
    title = models.CharField(
        _("title"), max_length=150, blank=True, help_text=_("For a seat the municipality adds.")
    )
    not_present = models.BooleanField(_("not present in this municipality"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "core_group__municipality"

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["core_group", "function"],
                condition=~Q(function=SeatFunction.OTHER),
                name="seat_function_once",
                violation_error_message=_("The core group has this seat already."),
            ),
            models.CheckConstraint(
                condition=~Q(function=SeatFunction.OTHER) | ~Q(title=""),
                name="seat_other_has_title",
                violation_error_message=_("Name the seat you add."),
            ),
        ]

    def __str__(self):
        # The enum's label, not get_function_display(): that one builds a dict of every
        # choice on each call (0.2 ms; the kerngroep page names its seats thirty times).
        if self.title or self.function not in SeatFunction.values:
            return self.title or self.function
        return str(SeatFunction(self.function).label)


class SeatHolding(models.Model):
    """Who held a seat, from when until when."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="holdings"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="seat_holdings"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "seat__core_group__municipality"

    class Meta:
        verbose_name = _("seat holding")
        verbose_name_plural = _("seat holdings")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="seatholding_end_after_start",
                violation_error_message=_("A holding cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(end__isnull=True),
                name="seatholding_one_open",
                violation_error_message=_("The seat already has a current holder."),
            ),
        ]

    def __str__(self):
        return f"{self.seat} · {self.actor}"


class WorkingGroup(models.Model):
    """A working group that turns the programme into action plans, under a promotor; the
    coordinator oversees their creation."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    name = models.CharField(_("name"), max_length=150)
    mandate = models.TextField(_("mandate"), blank=True, max_length=5000)
    promotor = models.ForeignKey(
        Actor,
        verbose_name=_("lead promotor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_working_groups",
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkingGroupMembership(models.Model):
    """An actor in a working group, dated (an explicit through-model, so history has who/when)."""

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    actor = models.ForeignKey(
        Actor,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="working_group_memberships",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "working_group__municipality"

    class Meta:
        verbose_name = _("working group membership")
        verbose_name_plural = _("working group memberships")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "actor"],
                condition=Q(end__isnull=True),
                name="wgmembership_one_open",
                violation_error_message=_("This actor is a member already."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="wgmembership_end_after_start",
                violation_error_message=_("The membership cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.actor} · {self.working_group}"


class Meeting(models.Model):
    """A meeting of the kerngroep or of a working group."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    core_group = models.ForeignKey(
        CoreGroup,
        verbose_name=_("core group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True, max_length=50000)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "municipality"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(core_group__isnull=False) & Q(working_group__isnull=True))
                | (Q(core_group__isnull=True) & Q(working_group__isnull=False)),
                name="meeting_of_one_body",
                violation_error_message=_(
                    "A meeting is of the core group or of one working group."
                ),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"])]

    def __str__(self):
        return f"{self.body} · {self.starts_at:%d/%m/%Y}"

    @property
    def body(self):
        """The kerngroep or the working group that meets."""
        return self.core_group or self.working_group


class AgendaItem(models.Model):
    """An item of a meeting's agenda; plans point at the items where they were discussed."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "meeting__municipality"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who attended a meeting, per seat (kerngroep) or per member (working group)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    represented_by = models.ForeignKey(
        Actor,
        verbose_name=_("represented by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "meeting__municipality"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "actor"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.REPRESENTED) | Q(represented_by__isnull=False),
                name="attendance_represented_by",
                violation_error_message=_("Say who represented them."),
            ),
        ]

    def __str__(self):
        return f"{self.actor} · {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("decision"), max_length=10000)
    consensus = models.BooleanField(
        _("reached by consensus"), help_text=_("Untick when the decision was not unanimous.")
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "meeting__municipality"

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:80]


class FollowUpTask(models.Model):
    """A follow-up task of a decision: who, by when, how far."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="tasks"
    )
    description = models.CharField(_("task"), max_length=300)
    assignee = models.ForeignKey(
        Actor, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="follow_up_tasks"
    )
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "decision__meeting__municipality"

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return self.description


class CalendarFeed(models.Model):
    """A person's secret address for their meetings in a calendar application; revocable."""

    user = models.ForeignKey(
        "safetynet.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked=False), name="calendarfeed_one_active"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%d/%m/%Y}"


def _document_path(instance, filename):
    """Stored under a name of ours: the uploader's file name is kept in ``title`` only."""
    return f"private/meetings/{uuid.uuid4().hex}"


class MeetingDocument(models.Model):
    """A file of a meeting (agenda document, signed minutes), stored privately and served only
    to those who may see the meeting, as a download."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # A removed document leaves the meeting's page; its row, file and history stay on record.
    removed_at = models.DateTimeField(_("removed on"), null=True, blank=True)
    history = HistoricalRecords()

    MUNICIPALITY_PATH = "meeting__municipality"

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["kind", "title"]

    def __str__(self):
        return self.title
