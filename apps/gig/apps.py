from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GigConfig(AppConfig):
    name = "apps.gig"
    verbose_name = _("零工市场")

    def ready(self):
        from apps.core import registry

        # Supervisors open the change history of these from one page (scoped by the region path).
        registry.register_history_model("gig.broker", "region")
        registry.register_history_model("gig.posting", "region")
        registry.register_history_model("gig.availability", "region")
        registry.register_history_model("gig.placement", "posting__region")
        from apps.gig.worklist import SOURCES

        for source in SOURCES:  # placements waiting for their 回访 on the 待办 list
            registry.register_worklist_source(source)
