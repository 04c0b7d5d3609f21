from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: the home dashboard, the 待办 worklist, the history and access-log pages, the navigation.

    It only reads what the apps below register in apps.core.registry; it registers nothing itself.
    """

    name = "apps.portal"
    verbose_name = _("工作台")
