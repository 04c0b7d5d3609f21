from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("基础数据与审计")

    def ready(self) -> None:
        from apps.core import money_sql  # noqa: PLC0415 — models are loaded only once ready() runs

        money_sql.connect()
