from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "apps.eligibility"
    verbose_name = _("政策参数与待遇测算")
