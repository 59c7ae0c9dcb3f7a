from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SafetynetConfig(AppConfig):
    name = "safetynet"
    verbose_name = _("SafetyNet core")

    def ready(self):
        from . import panels
        from .constants import Role
        from .permissions import register_role_permissions

        everyone = ["safetynet.view_municipality"]
        register_role_permissions(dict.fromkeys(Role.values, everyone))
        register_role_permissions(
            {
                Role.ADMIN: [
                    "safetynet.change_municipality",
                    "safetynet.view_membership",
                    "safetynet.add_membership",
                    "safetynet.change_membership",
                    "safetynet.delete_membership",
                ],
                Role.COORDINATOR: ["safetynet.view_membership"],
            }
        )
        panels.register()
        post_migrate.connect(_sync_role_groups, dispatch_uid="safetynet-sync-role-groups")


def _sync_role_groups(sender, app_config=None, using="default", **kwargs):
    # post_migrate fires once per app; the last app in INSTALLED_APPS sees every table.
    from django.apps import apps

    if app_config is None or app_config.label != list(apps.get_app_configs())[-1].label:
        return
    from .permissions import sync_all_role_groups

    sync_all_role_groups()
