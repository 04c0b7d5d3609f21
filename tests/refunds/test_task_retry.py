"""The chunk task's retry policy covers every way a lost database connection is reported, psycopg's own
errors included (the COPY runs on the raw psycopg cursor, so Django never wraps its error)."""

import psycopg
import pytest
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from apps.refunds import tasks


@pytest.mark.parametrize("error", [psycopg.OperationalError("terminating connection due to administrator command"),
                                   psycopg.InterfaceError("the connection is closed"),
                                   OperationalError("server closed the connection unexpectedly"),
                                   InterfaceError("connection already closed")])
def test_a_lost_connection_is_retried_and_the_connection_closed(monkeypatch, error):
    calls, closed = [], []

    def compute(*, chunk_id):
        calls.append(chunk_id)
        if len(calls) == 1:
            raise error
        return True

    monkeypatch.setattr(tasks, "chunk_compute", compute)
    monkeypatch.setattr(tasks.connection, "close", lambda: closed.append(True))
    with pytest.raises(Retry):  # autoretry_for matched: the task is sent again (with backoff), not failed
        tasks.compute_chunk.apply(args=[7], throw=True)
    assert calls == [7] and closed == [True]
    assert tasks.compute_chunk.apply(args=[7], throw=True).get() is True  # the retry
