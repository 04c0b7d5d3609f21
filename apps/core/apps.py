from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_audit_triggers(sender, using="default", **kwargs) -> None:
    from apps.core.retention import install_triggers  # models are not loaded when apps.py is imported

    install_triggers(using=using)


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("基础数据与审计")

    def ready(self) -> None:
        from apps.core import money_sql  # noqa: PLC0415 — models are loaded only once ready() runs

        money_sql.connect()

        # After every migrate (and every flush of a test database), once all tables exist: the access log
        # and each Historical* table refuse UPDATE and DELETE on PostgreSQL (apps.core.retention).
        post_migrate.connect(_install_audit_triggers, sender=self, dispatch_uid="apps.core.audit_triggers")

        # The export job task (apps.core.export_jobs enqueues it by name) is registered in every process.
        from apps.core import tasks  # noqa: F401, PLC0415
