"""Read-only work on a streaming replica when `DATABASE_REPLICA_URL` is set (DATABASES["replica"]).

Reads go to the replica only where the code says they may — inside `replica_reads()` — and only when:
* a replica is configured (without one everything stays on "default", so SQLite and a single PostgreSQL need
  nothing),
* no transaction is open on "default" (a read inside a write's transaction must see that transaction), and
* the request is not pinned: for `REPLICA_PIN_SECONDS` after a request that may have written (POST, PUT, PATCH,
  DELETE) the same browser or token reads from "default" (`ReplicaPinMiddleware`), so a caseworker who has just
  saved a record finds it in the list even while the replica is a moment behind.
Writes always go to "default"; migrations run on "default" only.

Who opens `replica_reads()`: the paginators every list and API list uses (apps.core.pagination,
apps.core.api.pagination) around their count and page queries. Objects read there carry `_state.db ==
"replica"`, so their lazy related lookups read the replica too; saving one writes to "default".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "db_pin"
_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_pinned: ContextVar[bool] = ContextVar("replica_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_usable() -> bool:
    return (_reads.get() and not _pinned.get() and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reads.set(True)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if replica_usable() else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaPinMiddleware:
    """Pins a client to "default" for REPLICA_PIN_SECONDS after a request that may have written (a cookie with
    the time it ends; for API tokens without cookies the pin holds for that request only)."""

    SAFE = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        try:
            until = float(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            until = 0.0
        writing = request.method not in self.SAFE
        token = _pinned.set(writing or until > time.time())
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writing:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response
