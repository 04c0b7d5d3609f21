from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "apps.imports"
    verbose_name = _("数据导入")

    def ready(self) -> None:
        # Registers the background import task in every process (web too): the upload view's service
        # enqueues it by name (eagerly without a broker).
        from apps.core.registry import register_worklist_source
        from apps.imports import tasks  # noqa: F401, PLC0415
        from apps.imports.worklist import SOURCES  # my failed imports on the 待办 list

        for source in SOURCES:
            register_worklist_source(source)
