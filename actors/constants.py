from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorCategory(models.TextChoices):
    """The domain text's two groups of actors."""

    CORE = "core", _("Security is a central task")
    CONTRIBUTING = "contributing", _("Contributes to integral security")


class ActorForm(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class RoleType(models.TextChoices):
    """The roles the domain text names in a local integral security policy."""

    REGISSEUR = "regisseur", _("Director (regisseur)")
    COORDINATOR = "coordinator", _("Coordinator of integral security")
    CORE_GROUP_MEMBER = "core_group_member", _("Core group member")
    PROMOTOR = "promotor", _("Project leader (promotor)")
    WORKING_GROUP_MEMBER = "working_group_member", _("Working group member")
    OTHER = "other", _("Other role")


class AppointmentOption(models.TextChoices):
    """Who carries the coordinator's function: the domain text's options."""

    MAYOR_CABINET = "mayor_cabinet", _("Political: cabinet staff of the mayor")
    ALDERMAN_CABINET = (
        "alderman_cabinet",
        _("Political: cabinet staff of the alderman for security"),
    )
    NEW_FUNCTION = (
        "new_function",
        _("Official: a new function of local integral security coordinator"),
    )
    SECRETARY = "secretary", _("Official: the town or municipal secretary")
    SECRETARY_STAFF = "secretary_staff", _("Official: a staff member of the secretary")
    PREVENTION_OFFICER = (
        "prevention_officer",
        _("Official: extended function of the prevention officer"),
    )
    POLICE = "police", _("Someone from the police")
    OTHER = "other", _("Another arrangement")
    NO_COORDINATOR = "none", _("No specific coordinator")


POLITICAL_OPTIONS = {AppointmentOption.MAYOR_CABINET, AppointmentOption.ALDERMAN_CABINET}
OFFICIAL_OPTIONS = {
    AppointmentOption.NEW_FUNCTION,
    AppointmentOption.SECRETARY,
    AppointmentOption.SECRETARY_STAFF,
    AppointmentOption.PREVENTION_OFFICER,
}


class OrgLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic level")
    LINKING = "linking", _("Linking level")
    OPERATIONAL = "operational", _("Operational level")


class OrgFunction(models.TextChoices):
    """What a unit of the organogram is, where the placement check needs to know."""

    MAYOR = "mayor", _("Mayor")
    COLLEGE = "college", _("College of mayor and aldermen")
    SECRETARY = "secretary", _("Town or municipal secretary")
    KERNGROEP = "kerngroep", _("Core group")
    COORDINATOR = "coordinator", _("Coordinator of integral security")
    DEPARTMENT = "department", _("Department")
    PROJECT_LEADERS = "project_leaders", _("Project leaders")
    WORKING_GROUP = "working_group", _("Working group")
    OTHER = "other", _("Other unit")
