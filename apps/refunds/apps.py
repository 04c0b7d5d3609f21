from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefundsConfig(AppConfig):
    name = "apps.refunds"
    verbose_name = _("失业保险稳岗返还（免申即享）")

    def ready(self) -> None:
        from apps.core.registry import register_history_model

        register_history_model("refunds.refundrun", "region")
