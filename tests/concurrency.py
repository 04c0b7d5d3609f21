"""Real concurrency for race tests: threads with their own database connections, released together by a barrier.

PostgreSQL only — an in-memory SQLite test database is one connection, and SQLite runs one writer at a time
anyway (apps.core.locks takes its write lock before the check). A module uses both with
`pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]`
after `from tests.concurrency import postgresql_only, race  # noqa: F401 (fixture)`."""

import threading

import pytest
from django.db import connection, connections


@pytest.fixture
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL: the SQLite test database is one in-memory connection")


def race(*calls):
    """Run the callables in threads released together; [(result or None, exception or None), …]."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (call(), None)
        except Exception as error:  # noqa: BLE001 — the outcome is what the test inspects
            outcomes[index] = (None, error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
