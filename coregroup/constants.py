from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SeatFunction(models.TextChoices):
    """The ten member functions of the kerngroep in the domain text (as far as they exist in the
    municipality), and the seats a municipality adds."""

    MAYOR = "mayor", _("The mayor or their delegate")
    PROSECUTOR = "prosecutor", _("The public prosecutor (procureur des Konings)")
    POLICE_CHIEF = "police_chief", _("The chief of the local police (korpschef)")
    ALDERMAN_WELFARE = "alderman_welfare", _("The alderman for social affairs and welfare")
    ALDERMAN_SECURITY = "alderman_security", _("The alderman for security and prevention")
    ALDERMAN_PUBLIC_WORKS = "alderman_public_works", _("The alderman for public works")
    ALDERMAN_MOBILITY = "alderman_mobility", _("The alderman for mobility")
    COORDINATOR = "coordinator", _("The coordinator of integral security policy")
    PREVENTION_OFFICER = "prevention_officer", _("The prevention officer")
    COMPLAINTS_OFFICER = "complaints_officer", _("The complaints officer")
    OTHER = "other", _("Another member")


# The domain text's ten, in its order.
DOMAIN_SEATS = [choice for choice in SeatFunction if choice != SeatFunction.OTHER]


class SeatState(models.TextChoices):
    HELD = "held", pgettext_lazy("seat state", "Held")
    VACANT = "vacant", pgettext_lazy("seat state", "Vacant")
    NOT_PRESENT = "not_present", _("Not present in this municipality")


class KerngroepTask(models.TextChoices):
    """The kerngroep's tasks in the domain text: the structure of its page."""

    STRATEGY = "strategy", _("Develop a strategic security policy")
    ACTION_PLANS = (
        "action_plans",
        _(
            "Work out action plans: expected results, necessary actions by priority, available and "
            "required resources, planning"
        ),
    )
    SUPPORT = "support", _("Seek support from partners and involve the population")
    CONSENSUS = "consensus", _("Consult the partners and reach consensus")
    PROMOTORS = "promotors", _("Check that the promotors carry out their assignments")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")
    REPRESENTED = "represented", _("Represented")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda document")
    MINUTES = "minutes", _("Signed minutes")
    OTHER = "other", _("Other document")
