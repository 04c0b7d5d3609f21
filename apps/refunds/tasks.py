"""Celery tasks: load by id, call the service. Each chunk is its own task; progress lives in the database.

Delivery guarantees come from the task options: the message is acknowledged only after the task finishes
(acks_late) and is put back when the worker process dies (reject_on_worker_lost), the worker takes one
message at a time (CELERY_WORKER_PREFETCH_MULTIPLIER = 1), and database hiccups are retried with backoff.
A chunk is idempotent, so a redelivery is always safe.

A lost database connection is retried whichever layer reports it: Django's wrapped errors, and psycopg's
own — the chunk's COPY runs on the raw psycopg cursor, so a connection terminated mid-COPY raises
psycopg.OperationalError, which Django never wraps. The dead connection is closed before the retry.
"""

import contextlib
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, connection

from apps.refunds.services import chunk_compute, chunks_sweep, runs_mark_notified

logger = logging.getLogger(__name__)

try:
    import psycopg
except ImportError:  # pragma: no cover — a SQLite-only install
    CONNECTION_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
else:
    CONNECTION_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)

# A chunk of CHUNK_SIZE employers takes about a second on the benchmark machine; these limits only catch
# a stuck query. The sweeper waits longer than the hard limit before it re-enqueues a running chunk.
CHUNK_SOFT_TIME_LIMIT = 120
CHUNK_TIME_LIMIT = 150


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=CHUNK_SOFT_TIME_LIMIT, time_limit=CHUNK_TIME_LIMIT,
             autoretry_for=CONNECTION_ERRORS, retry_backoff=2, retry_backoff_max=60,
             retry_jitter=True, max_retries=5)
def compute_chunk(self, chunk_id: int) -> bool:
    try:
        return chunk_compute(chunk_id=chunk_id)
    except CONNECTION_ERRORS as error:
        logger.warning("refund chunk lost its database connection; retrying",
                       extra={"chunk": chunk_id, "error": type(error).__name__, "attempt": self.request.retries + 1})
        with contextlib.suppress(Exception):  # closing a dead connection may itself fail: it is gone either way
            connection.close()
        raise


@shared_task(ignore_result=True, acks_late=True)
def sweep_chunks() -> int:
    return chunks_sweep()


@shared_task(ignore_result=True, acks_late=True)
def sweep_notified() -> int:
    """Reconciled runs whose payees have all been told move to 已告知 (the outbox listener's fallback)."""
    return runs_mark_notified()
