from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "apps.childcare"
    verbose_name = _("托育机构")

    def ready(self) -> None:
        from apps.childcare import tiles
        from apps.childcare.imports import AttendanceSpec
        from apps.core.registry import register_history_model, register_tile
        from apps.imports.specs import register

        register(AttendanceSpec())

        register_history_model("childcare.institution", "region")
        register_history_model("childcare.enrollment", "institution__region")
        register_history_model("childcare.operatingsubsidyclaim", "institution__region")
        register_history_model("childcare.inspection", "institution__region")

        for tile in tiles.TILES:
            register_tile(tile)
