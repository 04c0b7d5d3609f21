"""The audit trail is append-only in the database and kept at least AUDIT_RETENTION_DAYS (≥ 180 days).

On PostgreSQL a trigger on the access log and on every django-simple-history table (Historical*) refuses
UPDATE and DELETE — whatever the application, the admin or a psql session does. The one way rows leave is
the retention purge (`audit_purge` below, `manage.py audit_purge`, the daily beat task): inside its own
transaction it sets `portal.audit_purge = 'on'` (SET LOCAL: it ends with the transaction) and the trigger
then lets through only DELETEs of rows older than MINIMUM_RETENTION_DAYS — a younger row cannot be purged
even by someone who sets the flag by hand. TRUNCATE (the test runner's flush) is not a row operation.

The triggers are (re)installed after every `migrate` (post_migrate), so a Historical table added by a later
migration is covered without a migration of its own. SQLite has no such triggers: the purge still works.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import Model
from django.utils import timezone

from apps.core.models import AccessLog

# 等保 2.0 (GB/T 22239-2019) level 3: audit records are kept for at least six months.
MINIMUM_RETENTION_DAYS = 180
PURGE_SETTING = "portal.audit_purge"
FUNCTION = "portal_audit_append_only"
TRIGGER = "portal_audit_append_only"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('{PURGE_SETTING}', true) = 'on'
       AND (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - interval '{MINIMUM_RETENTION_DAYS} days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（表 %，操作 %）', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def audit_tables() -> list[tuple[type[Model], str]]:
    """(model, its timestamp column): the access log and every simple-history table."""
    tables: list[tuple[type[Model], str]] = [(AccessLog, "at")]
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "instance_type"):
            tables.append((model, "history_date"))
    return tables


def install_triggers(using: str = "default", **kwargs) -> int:
    """Create the append-only triggers that are missing; returns how many were created."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    tables = {model._meta.db_table: column for model, column in audit_tables()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = %s", [TRIGGER])
        present = {row[0] for row in cursor.fetchall()}
        missing = {table: column for table, column in tables.items() if table not in present}
        existing = set(connection.introspection.table_names(cursor))
        missing = {table: column for table, column in missing.items() if table in existing}
        if not missing:
            return 0
        cursor.execute(FUNCTION_SQL)
        for table, column in sorted(missing.items()):
            name = connection.ops.quote_name(table)
            cursor.execute(f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {name} "
                           f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{column}')")
    return len(missing)


def retention_days() -> int:
    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS))
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS 不能少于 {MINIMUM_RETENTION_DAYS} 天（等保三级：审计记录至少保存六个月）")
    return days


def audit_purge(*, using: str = "default") -> dict[str, int]:
    """Delete access-log and history rows older than the retention period; {table: rows deleted}."""
    cutoff = timezone.now() - timedelta(days=retention_days())
    connection = connections[using]
    deleted: dict[str, int] = {}
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])  # = SET LOCAL
        for model, column in audit_tables():
            count, _ = model._base_manager.using(using).filter(**{f"{column}__lt": cutoff}).delete()
            deleted[model._meta.db_table] = count
    return deleted
