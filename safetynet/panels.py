"""The core's own navigation entries and dashboard panel, registered like any app's."""

from django.utils.translation import gettext_lazy as _

from .permissions import access_for
from .registry import DashboardPanel, NavEntry, register_dashboard_panel, register_nav_entry


def my_roles(request):
    """My municipalities and my roles in each: the memberships every request loads already."""
    memberships = sorted(
        access_for(request.user).memberships, key=lambda m: (m.municipality.name, m.role)
    )
    by_municipality = {}
    for membership in memberships:
        by_municipality.setdefault(membership.municipality, []).append(membership)
    return {"municipalities": list(by_municipality.items())}


def register():
    register_nav_entry(
        NavEntry(
            "profile", _("Profile"), "municipality-profile", "safetynet.view_municipality", 900
        )
    )
    register_nav_entry(
        NavEntry("members", _("Users and roles"), "member-list", "safetynet.view_membership", 910)
    )
    register_nav_entry(
        NavEntry(
            "security-events",
            _("Security log"),
            "security-events",
            "safetynet.view_securityevent",
            920,
        )
    )
    register_dashboard_panel(
        DashboardPanel("my-roles", "safetynet/includes/panel_my_roles.html", my_roles, order=1000)
    )
