from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Actors of the safety network")

    def ready(self):
        from safetynet.constants import Role
        from safetynet.permissions import register_role_permissions

        read = [
            "actors.view_actor",
            "actors.view_roleassignment",
            "actors.view_orgunit",
            "actors.view_coordinatorappointment",
        ]
        edit = [
            *read,
            "actors.add_actor",
            "actors.change_actor",
            "actors.add_actorkind",
            "actors.add_roleassignment",
            "actors.change_roleassignment",
            "actors.add_orgunit",
            "actors.change_orgunit",
            "actors.delete_orgunit",
            "actors.add_coordinatorappointment",
            "actors.add_suggestiondismissal",
            "actors.delete_suggestiondismissal",
        ]
        # Coordinator and admin keep the network up to date; every other member reads it.
        register_role_permissions(
            {role: edit if role in (Role.ADMIN, Role.COORDINATOR) else read for role in Role.values}
        )
        from safetynet.registry import (
            NavEntry,
            register_demo_seeder,
            register_nav_entry,
            register_scale_seeder,
        )

        for entry in (
            NavEntry("actors", _("Actors"), "actors:actor-list", "actors.view_actor", 100),
            NavEntry("network", _("Network"), "actors:network", "actors.view_actor", 110),
            NavEntry(
                "organogram", _("Organogram"), "actors:organogram", "actors.view_orgunit", 120
            ),
        ):
            register_nav_entry(entry)

        from . import demo, scale

        register_demo_seeder("actors", demo.seed, order=100)
        register_scale_seeder("actors", scale.seed, order=100)
