from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "apps.eligibility"
    verbose_name = _("政策参数与待遇测算")

    def ready(self):
        from apps.core.registry import register_history_model, register_tile, register_worklist_source
        from apps.eligibility import (
            determination_verification,
            tasks,  # noqa: F401 — registers verify_chunk, which the verification service enqueues by name
            tiles,
            worklist,
        )
        from apps.eligibility.verification import register_verifier

        # Supervisors open a determination's change history like any audited record, scoped by its region.
        register_history_model("eligibility.determination", "region")
        register_history_model("eligibility.benefitmatch", "person__region")

        register_verifier(determination_verification.VERIFIER)
        for tile in tiles.TILES:
            register_tile(tile)
        for source in worklist.SOURCES:  # open 主动发现 leads on the 待办 list
            register_worklist_source(source)
