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
                    # The security log of the municipality (safetynet.security_views).
                    "safetynet.view_securityevent",
                ],
            }
        )
        panels.register()
        post_migrate.connect(
            _sync_role_groups, sender=self, dispatch_uid="safetynet-sync-role-groups"
        )
        # Logging in would otherwise add a history row to the user at every login.
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_update_last_login, dispatch_uid="safetynet-update-last-login")
        from . import signals

        signals.connect()


def _update_last_login(sender, user, **kwargs):
    from django.utils import timezone

    # A queryset update writes no history row: the last login is not a change to the account.
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())


def _sync_role_groups(sender, **kwargs):
    # After every migrate: permissions registered since the last one reach existing groups.
    from .permissions import sync_all_role_groups

    sync_all_role_groups()
