from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "apps.childcare"
    verbose_name = _("托育机构")

    def ready(self) -> None:
        # Registration needs the app registry ready, hence the imports here (the way admin.py is discovered).
        from apps.childcare import tasks  # noqa: F401 — registers the Celery task that services enqueue by name
        from apps.childcare.attendance_import import AttendanceSpec
        from apps.childcare.tiles import operating_institutions
        from apps.core.registry import Tile, register_tile
        from apps.core.views import register_history_model
        from apps.imports.specs import register

        register(AttendanceSpec())

        register_tile(Tile(key="childcare", label="在营托育机构", icon="balloon-heart", url_name="childcare:dashboard",
                           value=operating_institutions, order=30))

        register_history_model("childcare.institution", "region")
        register_history_model("childcare.enrollment", "institution__region")
        register_history_model("childcare.operatingsubsidyclaim", "institution__region")
        register_history_model("childcare.inspection", "institution__region")
