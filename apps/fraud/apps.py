from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FraudConfig(AppConfig):
    name = "apps.fraud"
    verbose_name = _("欺诈骗保")

    def ready(self) -> None:
        from apps.core.registry import register_history_model, register_tile, register_worklist_source
        from apps.fraud import tiles, worklist

        register_history_model("fraud.fraudcase", "region")
        register_history_model("fraud.finding", "case__region")
        register_history_model("fraud.appeal", "case__region")
        for tile in tiles.TILES:
            register_tile(tile)
        for source in worklist.SOURCES:
            register_worklist_source(source)
