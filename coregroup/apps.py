from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoregroupConfig(AppConfig):
    name = "coregroup"
    verbose_name = _("Core group and working groups")
