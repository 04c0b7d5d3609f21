from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = _("通知（短信、站内信、电子邮件）")

    def ready(self) -> None:
        # Registers the delivery tasks with the Celery app in every process: the services send them by name.
        from apps.notifications import tasks  # noqa: F401
