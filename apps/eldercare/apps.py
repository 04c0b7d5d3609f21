from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "apps.eldercare"
    verbose_name = _("养老服务人才")

    def ready(self):
        from apps.core import registry
        from apps.eldercare.publicity import SOURCE
        from apps.publicity.sources import register_source

        register_source(SOURCE)
        from apps.eldercare.worklist import SOURCES

        for source in SOURCES:  # claims waiting for review on the 待办 list
            registry.register_worklist_source(source)
        # Supervisors open the change history of these from one page (scoped by the region path).
        for model in ("institution", "staffmember", "blacklistentry", "incentiveclaim"):
            registry.register_history_model(f"eldercare.{model}", "region")
