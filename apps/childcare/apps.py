from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildcareConfig(AppConfig):
    name = "apps.childcare"
    verbose_name = _("托育机构")

    def ready(self) -> None:
        # Registration needs the app registry ready, hence the imports here (the way admin.py is discovered).
        from apps.childcare import (
            tasks,  # noqa: F401 — registers the Celery task that services enqueue by name
            tiles,
        )
        from apps.childcare.attendance_import import AttendanceSpec
        from apps.core.registry import register_history_model, register_search_source, register_tile
        from apps.imports.specs import register

        register(AttendanceSpec())

        # The payment service pays approved claims (apps.childcare.payments: one line per claim).
        from apps.childcare.payments import SOURCE
        from apps.payments.sources import register_source

        register_source(SOURCE)

        # The documents service numbers, renders and verifies the claim's 告知书 (apps.childcare.notices).
        from apps.childcare.notices import SOURCE as NOTICE_SOURCE
        from apps.documents.sources import register_source as register_notice_source

        register_notice_source(NOTICE_SOURCE)

        # 公示: a published claim's public list (apps.childcare.publicity).
        from apps.childcare.publicity import SOURCE as PUBLICITY_SOURCE
        from apps.publicity.sources import register_source as register_publicity_source

        register_publicity_source(PUBLICITY_SOURCE)

        # Objections against a published claim (apps.childcare.objections: the row, the recompute).
        from apps.childcare.objections import SOURCE as OBJECTION_SOURCE
        from apps.objections.sources import register_source as register_objection_source

        register_objection_source(OBJECTION_SOURCE)

        register_history_model("childcare.institution", "region")
        register_history_model("childcare.enrollment", "institution__region")
        register_history_model("childcare.operatingsubsidyclaim", "institution__region")
        register_history_model("childcare.inspection", "institution__region")
        from apps.childcare.services import verification
        from apps.eligibility.verification import register_verifier

        register_verifier(verification.VERIFIER)  # decisions_verify recomputes every stored claim

        for tile in tiles.TILES:
            register_tile(tile)
        for search in tiles.SEARCH_SOURCES:
            register_search_source(search)
        from apps.childcare.worklist import SOURCES
        from apps.core.registry import register_worklist_source

        for source in SOURCES:
            register_worklist_source(source)
