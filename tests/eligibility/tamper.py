"""Tests that simulate a version changed behind the service's back (the database guard is lifted for the
block, as an operator with direct SQL access could)."""

from contextlib import contextmanager

from django.db import connection

TABLE = "eligibility_policyparameter"


@contextmanager
def tamper_parameters():
    if connection.vendor == "postgresql":
        # As a superuser replaying data would: ordinary triggers do not fire in "replica" mode (an ALTER TABLE
        # … DISABLE TRIGGER is refused while the test's transaction has deferred constraint checks pending).
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            saved = cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                                   [TABLE]).fetchall()
            for name, _sql in saved:
                cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in saved:
                    cursor.execute(sql)
    else:  # pragma: no cover
        yield
