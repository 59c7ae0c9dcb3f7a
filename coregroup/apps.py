from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoregroupConfig(AppConfig):
    name = "coregroup"
    verbose_name = _("Core group and working groups")

    def ready(self):
        from safetynet.constants import Role
        from safetynet.permissions import register_role_permissions
        from safetynet.registry import NavEntry, register_demo_seeder, register_nav_entry

        from . import demo

        # Everyone of the municipality sees the composition; the coordinator manages it.
        read = ["coregroup.view_coregroup", "coregroup.view_seat", "coregroup.view_seatholding"]
        manage = [
            *read,
            "coregroup.add_coregroup",
            "coregroup.change_coregroup",
            "coregroup.add_seat",
            "coregroup.change_seat",
            "coregroup.add_seatholding",
            "coregroup.change_seatholding",
        ]
        register_role_permissions(
            {role: manage if role == Role.COORDINATOR else read for role in Role.values}
        )
        register_nav_entry(
            NavEntry(
                "coregroup",
                _("Core group"),
                "coregroup:composition",
                "coregroup.view_coregroup",
                200,
            )
        )
        register_demo_seeder("coregroup", demo.seed, order=200)
