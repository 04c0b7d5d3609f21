"""The audit trail is append-only at the database level and kept ≥ 6 months (issue 13, hole 6)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.applicants.models import Person
from apps.core.models import AccessLog
from apps.core.retention import MINIMUM_RETENTION_DAYS, audit_purge, audit_tables
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def _log(user, days_old: int) -> AccessLog:
    """An access-log row written `days_old` days ago (an INSERT: allowed; at is auto_now_add, so raw SQL)."""
    at = timezone.now() - timedelta(days=days_old)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_accesslog (user_id, at, action, object_type, object_id, object_label, "
                       "purpose, path) VALUES (%s, %s, 'view', 'applicants.person', '1', '张三', '', '')",
                       [user.pk, at])
    return AccessLog.objects.order_by("-pk").first()


def test_every_history_table_and_the_access_log_are_covered():
    tables = {model._meta.db_table for model, _ in audit_tables()}
    assert "core_accesslog" in tables and "applicants_historicalperson" in tables
    assert "refunds_historicalrefundrun" in tables and len(tables) > 10


@postgres_only
@pytest.mark.parametrize("statement", [
    "UPDATE core_accesslog SET object_label = 'x'", "DELETE FROM core_accesslog",
    "UPDATE applicants_historicalperson SET name = 'x'", "DELETE FROM applicants_historicalperson",
])
def test_the_database_refuses_to_change_or_delete_audit_rows(caseworker, statement):
    _log(caseworker, 0)
    person = PersonFactory()
    person.name = "改名"
    person.save()
    with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLog.objects.filter(object_label="张三").count() == 1
    assert Person.history.filter(id=person.pk).count() == 2


@postgres_only
def test_the_purge_flag_does_not_open_rows_younger_than_six_months(caseworker):
    _log(caseworker, MINIMUM_RETENTION_DAYS - 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('portal.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM core_accesslog")
    assert AccessLog.objects.count() == 1


def test_the_purge_deletes_only_rows_older_than_the_retention(caseworker, settings):
    settings.AUDIT_RETENTION_DAYS = 200
    old, kept, new = _log(caseworker, 201), _log(caseworker, 199), _log(caseworker, 0)
    deleted = audit_purge()
    assert deleted["core_accesslog"] == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {kept.pk, new.pk}
    assert old.pk not in set(AccessLog.objects.values_list("pk", flat=True))


def test_the_command_purges_and_says_how_much(caseworker, settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 180
    _log(caseworker, 400)
    call_command("audit_purge")
    assert "删除 1 条审计记录" in capsys.readouterr().out
    assert not AccessLog.objects.exists()


def test_a_retention_below_six_months_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with pytest.raises(ImproperlyConfigured):
        audit_purge()
