from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Integral security plans")

    def ready(self):
        from safetynet.registry import PageLink, register_page_link

        # On the kerngroep page, under its task "check that promotors carry out their
        # assignments" (coregroup may not import plans: the link is registered from here).
        register_page_link(
            PageLink(
                "coregroup.task.promotors",
                "plans-follow-up",
                _("Follow-up board of the promotors"),
                "plans:follow-up",
                "coregroup.view_followuptask",
            )
        )
