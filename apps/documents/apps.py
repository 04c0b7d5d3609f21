from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = _("告知书与公文")

    def ready(self) -> None:
        # Registers the batch task with the Celery app in every process: the services enqueue it by name.
        from apps.documents import tasks  # noqa: F401
