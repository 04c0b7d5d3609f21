from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartupLoansConfig(AppConfig):
    name = "apps.startup_loans"
    verbose_name = _("创业担保贷款")

    def ready(self):
        from apps.core import registry
        from apps.imports.specs import register
        from apps.startup_loans.imports import RepaymentSpec

        # The lender bank's repayment schedule goes through the one import service.
        register(RepaymentSpec())
        # Supervisors open the change history of these from one page (scoped by the region path).
        registry.register_history_model("startup_loans.loanapplication", "region")
        registry.register_history_model("startup_loans.subsidyclaim", "region")
        registry.register_history_model("startup_loans.lender", "region")

        # An approved interest-subsidy claim is paid to the lender bank through apps.payments.
        from apps.payments.sources import register_source
        from apps.startup_loans.payments import SOURCE

        register_source(SOURCE)

        # What the 待办 list shows for 创业担保贷款 (apps.startup_loans.worklist).
        from apps.startup_loans import worklist

        for source in worklist.SOURCES:
            registry.register_worklist_source(source)
