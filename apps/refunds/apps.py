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
        # 名单公示 and 异议处理结果 notices (apps.refunds.notices_out; the payment service sends 已发放到账).
        from apps.notifications.events import register_event
        from apps.refunds.notices_out import EVENTS

        for event in EVENTS:
            register_event(event)
        # 已告知: a run moves on when its last 已发放到账 notice is sent (apps.refunds.services.payment).
        from apps.notifications.events import register_sent_listener
        from apps.refunds.services.payment import on_message_sent

        register_sent_listener(SOURCE.slug, on_message_sent)

        # 返还批次待审核 on the 待办 list (apps.refunds.worklist).
        from apps.core.registry import register_worklist_source
        from apps.refunds.worklist import SOURCES

        for source in SOURCES:
            register_worklist_source(source)

        # The documents service renders, numbers and verifies the run's 告知书 (apps.refunds.notices).
        from apps.documents.sources import register_source as register_notice_source
        from apps.refunds.notices import SOURCE as NOTICE_SOURCE

        register_notice_source(NOTICE_SOURCE)

        # 公示: the public list of a published run (apps.refunds.publicity: the rows, whether it is still up).
        from apps.publicity.sources import register_source as register_publicity_source
        from apps.refunds.publicity import SOURCE as PUBLICITY_SOURCE

        register_publicity_source(PUBLICITY_SOURCE)

        # Objections against a published run's result (apps.refunds.objections: the row, the recompute).
        from apps.objections.sources import register_source as register_objection_source
        from apps.refunds.objections import SOURCE as OBJECTION_SOURCE

        register_objection_source(OBJECTION_SOURCE)

        # Large exports of a run's results as background jobs (apps.refunds.exports: the rows, the record).
        from apps.core.export_jobs import register_source as register_export_source
        from apps.refunds.exports import SOURCE as EXPORT_SOURCE

        register_export_source(EXPORT_SOURCE)
