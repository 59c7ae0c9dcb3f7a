from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoregroupConfig(AppConfig):
    name = "coregroup"
    verbose_name = _("Core group and working groups")

    def ready(self):
        from safetynet.constants import Role
        from safetynet.permissions import register_role_permissions
        from safetynet.registry import (
            DashboardPanel,
            NavEntry,
            register_dashboard_panel,
            register_demo_seeder,
            register_nav_entry,
            register_scale_seeder,
        )

        from . import demo, panels, scale

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
        # Working groups: everyone reads, the coordinator manages.
        groups_read = ["coregroup.view_workinggroup", "coregroup.view_workinggroupmembership"]
        groups_manage = [
            *groups_read,
            "coregroup.add_workinggroup",
            "coregroup.change_workinggroup",
            "coregroup.add_workinggroupmembership",
            "coregroup.change_workinggroupmembership",
        ]
        register_role_permissions(
            {
                role: groups_manage if role == Role.COORDINATOR else groups_read
                for role in Role.values
            }
        )
        # Meetings, minutes and decisions: the kerngroep's members and the coordinator; the other
        # roles see the composition only.
        meetings_read = [
            "coregroup.view_meeting",
            "coregroup.view_agendaitem",
            "coregroup.view_attendance",
            "coregroup.view_decision",
            "coregroup.view_followuptask",
            "coregroup.view_meetingdocument",
        ]
        meetings_manage = [
            *meetings_read,
            "coregroup.add_meeting",
            "coregroup.change_meeting",
            "coregroup.delete_meeting",
            "coregroup.add_agendaitem",
            "coregroup.change_agendaitem",
            "coregroup.add_attendance",
            "coregroup.change_attendance",
            "coregroup.add_decision",
            "coregroup.change_decision",
            "coregroup.add_followuptask",
            "coregroup.change_followuptask",
            "coregroup.add_meetingdocument",
            "coregroup.change_meetingdocument",
        ]
        register_role_permissions(
            {Role.CORE_GROUP: meetings_read, Role.COORDINATOR: meetings_manage}
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
        register_nav_entry(
            NavEntry(
                "working-groups",
                _("Working groups"),
                "coregroup:working-group-list",
                "coregroup.view_workinggroup",
                210,
            )
        )
        register_dashboard_panel(
            DashboardPanel(
                "follow-up",
                "coregroup/includes/panel_follow_up.html",
                panels.follow_up,
                order=200,
            )
        )
        register_demo_seeder("coregroup", demo.seed, order=200)
        register_demo_seeder("coregroup-meetings", demo.seed_meetings, order=210)
        register_scale_seeder("coregroup", scale.seed, order=200)
