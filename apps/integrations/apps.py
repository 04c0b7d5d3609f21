from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "apps.integrations"
    verbose_name = _("对外推送")

    def ready(self) -> None:
        # Registers the delivery tasks with the Celery app in every process: the services send them by name.
        from apps.core.registry import register_worklist_source
        from apps.integrations import tasks  # noqa: F401
        from apps.integrations.worklist import SOURCES

        for source in SOURCES:  # given-up messages on the 待办 list
            register_worklist_source(source)
