from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Municipal admin")
    COORDINATOR = "coordinator", _("Coordinator")
    COLLEGE = "college", _("College member")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    CORE_GROUP = "core_group", _("Core group member")
    PROMOTOR = "promotor", _("Promotor")
    VIEWER = "viewer", _("Viewer")


# Roles whose holders must log in with a second factor unless their municipality switches it
# off (TwoFactorPolicy.OFF, the demo municipalities); platform admins always must.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.COLLEGE, Role.COUNCIL_SECRETARY})


class TwoFactorPolicy(models.TextChoices):
    PRIVILEGED = (
        "privileged",
        _("Required for admins, coordinators, college members and the council secretary"),
    )
    EVERYONE = "everyone", _("Required for every role")
    OFF = "off", _("Not required (demo municipality only)")


class Region(models.TextChoices):
    FLANDERS = "flanders", _("Flemish Region")
    WALLONIA = "wallonia", _("Walloon Region")
    BRUSSELS = "brussels", _("Brussels-Capital Region")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")


class Infrastructure(models.TextChoices):
    """The profile's checklist: what a municipality has that shapes its security network."""

    TRAIN_STATION = "train_station", _("Train station")
    NIGHTLIFE = "nightlife", _("Nightlife district")
    SHOPPING = "shopping", _("Shopping centre or busy shopping street")
    PORT = "port", _("Port or inland harbour")
    INDUSTRIAL_ZONE = "industrial_zone", _("Industrial zone")
    SCHOOLS = "schools", _("Secondary schools or a school campus")
    HOSPITAL = "hospital", _("Hospital")
    STADIUM = "stadium", _("Sports stadium")
    EVENTS = "events", _("Festival or event site")
    MOTORWAY = "motorway", _("Motorway exit")
    BORDER = "border", _("National border crossing")
    PARKS = "parks", _("Large parks or recreational areas")
    RECEPTION_CENTRE = "reception_centre", _("Reception centre for asylum seekers")
    PRISON = "prison", _("Prison")


# Words the site uses at the URL root: a municipality may not take them as its slug.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "healthz",
        "inspraak",
        "static",
        "media",
        "i18n",
        "lang",
        "login",
        "logout",
        "dashboard",
        "favicon.ico",
        "robots.txt",
        "security.txt",
        ".well-known",
        "www",
        "help",
        "about",
        "public",
        "verify",
        "assets",
    }
)
