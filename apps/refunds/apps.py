from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefundsConfig(AppConfig):
    name = "apps.refunds"
    verbose_name = _("失业保险稳岗返还（免申即享）")

    def ready(self) -> None:
        from apps.core.registry import register_history_model

        # Registers the chunk tasks with the Celery app in every process (web too): the services enqueue
        # them by name (apps.refunds.services.dispatch) and never import this module.
        from apps.refunds import tasks  # noqa: F401

        register_history_model("refunds.refundrun", "region")
        # decisions_verify recomputes every stored result row (apps.refunds.services.verification).
        from apps.eligibility.verification import register_verifier
        from apps.refunds.services import verification

        register_verifier(verification.VERIFIER)
        # The payment service pays approved runs (apps.refunds.payments: the lines, the run's "issued" move).
        from apps.payments.sources import register_source
        from apps.refunds.payments import SOURCE

        register_source(SOURCE)
        # Objections against a published run's result (apps.refunds.objections: the row, the recompute).
        from apps.objections.sources import register_source as register_objection_source
        from apps.refunds.objections import SOURCE as OBJECTION_SOURCE

        register_objection_source(OBJECTION_SOURCE)
