"""Serialising a check-then-write in the database, not in Python.

`serialize(key)` takes a lock that is held until the current transaction ends, so a second transaction that
makes the same check waits until the first has committed and then sees its row. PostgreSQL: a transaction-
level advisory lock on a key derived from the name (`pg_advisory_xact_lock(hashtext(key))`). SQLite has one
writer at a time: a write that changes nothing takes the database's write lock now (instead of at the first
real write, after the check), which is BEGIN IMMEDIATE for this transaction.
"""

from __future__ import annotations

from django.db import connection, transaction


def serialize(key: str) -> None:
    """Call inside `transaction.atomic()`, before the check the lock protects."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("serialize() needs a transaction: the lock ends with it")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        else:
            cursor.execute("UPDATE core_heartbeat SET worker = worker WHERE 1 = 0")
