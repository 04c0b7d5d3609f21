from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "apps.integrations"
    verbose_name = _("对外推送")

    def ready(self) -> None:
        # Registers the delivery tasks with the Celery app in every process: the services send them by name.
        from apps.integrations import tasks  # noqa: F401
