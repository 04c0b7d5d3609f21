from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "apps.objections"
    verbose_name = _("异议")

    def ready(self) -> None:
        from apps.core.registry import register_history_model

        register_history_model("objections.objection", "region")

        # 异议处理结果, sent by the sources whose on_decided tells the objector (apps.objections.notices).
        from apps.notifications.events import register_event
        from apps.objections.notices import DECIDED

        register_event(DECIDED)
