from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "apps.eligibility"
    verbose_name = _("政策参数与待遇测算")

    def ready(self):
        from apps.core.views import register_history_model

        # Supervisors open a determination's change history like any audited record, scoped by its region.
        register_history_model("eligibility.determination", "region")
        register_history_model("eligibility.benefitmatch", "person__region")
