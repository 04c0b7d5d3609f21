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
