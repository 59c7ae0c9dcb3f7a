"""The kerngroep: its seats by member function and who holds them over time.

Every model declares ``MUNICIPALITY_PATH`` and keeps its history. Holders are dated, never
overwritten: a change ends the holding and starts a new one."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from actors.models import Actor
from safetynet.models import Municipality

from .constants import SeatFunction


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
        return self.title or self.get_function_display()


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
