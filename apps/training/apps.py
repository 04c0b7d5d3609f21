from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "apps.training"
    verbose_name = _("职业技能培训")

    def ready(self):
        # Imported here, not at the top: ready() runs once the app registry is loaded, and these modules
        # import models (the documented place for registrations, like django.contrib.admin's autodiscover).
        from apps.core import registry
        from apps.imports.specs import register
        from apps.training import tiles, worklist
        from apps.training.imports import EnrollmentSpec

        register(EnrollmentSpec())

        # The payment service pays approved subsidy claims to the person (apps.training.payments: one line each).
        from apps.payments.sources import register_source
        from apps.training.payments import SOURCE

        register_source(SOURCE)

        # The documents service numbers, renders and verifies the claim's 告知书 (apps.training.notices).
        from apps.documents.sources import register_source as register_notice_source
        from apps.training.notices import SOURCE as NOTICE_SOURCE

        register_notice_source(NOTICE_SOURCE)

        # 公示: a published claim's public list (apps.training.publicity).
        from apps.publicity.sources import register_source as register_publicity_source
        from apps.training.publicity import SOURCE as PUBLICITY_SOURCE

        register_publicity_source(PUBLICITY_SOURCE)

        # Objections against a published claim (apps.training.objections: the row, the recompute, the notice).
        from apps.objections.sources import register_source as register_objection_source
        from apps.training.objections import SOURCE as OBJECTION_SOURCE

        register_objection_source(OBJECTION_SOURCE)

        # Supervisors open the change history of these from one page (scoped by the region path).
        registry.register_history_model("training.provider", "region")
        registry.register_history_model("training.program", "region")
        registry.register_history_model("training.enrollment", "region")
        registry.register_history_model("training.trainingsubsidyclaim", "enrollment__region")
        from apps.eligibility.verification import register_verifier
        from apps.training.services import verification

        register_verifier(verification.VERIFIER)  # decisions_verify recomputes every stored claim

        # 对外推送: 培训意愿 and 缺工 registrations go to the job-matching platform (apps.training.pushes).
        from apps.training import pushes

        pushes.register()

        # What the portal's home page and 待办 list show for training (apps.training.worklist).
        for tile in tiles.TILES:
            registry.register_tile(tile)
        for source in worklist.SOURCES:
            registry.register_worklist_source(source)
