from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    verbose_name = _("资金发放与银行对账")

    def ready(self):
        # Imported here, not at the top: models may load only once the app registry is ready.
        from apps.core.registry import register_worklist_source
        from apps.imports.specs import register
        from apps.notifications.events import register_event
        from apps.payments.imports import PaymentReturnSpec
        from apps.payments.notices import PAID
        from apps.payments.worklist import WORKLIST_SOURCES

        register_event(PAID)  # 已发放到账, sent when the bank's return marks a line paid (services._settle_paid)
        register(PaymentReturnSpec())  # the bank's return file goes through the one import service
        for source in WORKLIST_SOURCES:  # files to approve and issue, failed payments to re-issue
            register_worklist_source(source)
