from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "apps.training"
    verbose_name = _("职业技能培训")

    def ready(self):
        from apps.core.registry import register_history_model, register_tile
        from apps.imports.specs import register
        from apps.training import tiles
        from apps.training.imports import EnrollmentSpec

        register(EnrollmentSpec())

        # Supervisors open the change history of these from one core page (scoped by the region path).
        register_history_model("training.provider", "region")
        register_history_model("training.program", "region")
        register_history_model("training.enrollment", "region")
        register_history_model("training.trainingsubsidyclaim", "enrollment__region")

        for tile in tiles.TILES:
            register_tile(tile)
