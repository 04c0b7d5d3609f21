"""Celery tasks: load by id, call the service. Each chunk is its own task; progress lives in the database.

Delivery guarantees come from the task options: the message is acknowledged only after the task finishes
(acks_late) and is put back when the worker process dies (reject_on_worker_lost), the worker takes one
message at a time (CELERY_WORKER_PREFETCH_MULTIPLIER = 1), and database hiccups are retried with backoff.
A chunk is idempotent, so a redelivery is always safe.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.refunds.services import chunk_compute, chunks_sweep

# A chunk of CHUNK_SIZE employers takes about a second on the benchmark machine; these limits only catch
# a stuck query. The sweeper waits longer than the hard limit before it re-enqueues a running chunk.
CHUNK_SOFT_TIME_LIMIT = 120
CHUNK_TIME_LIMIT = 150


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=CHUNK_SOFT_TIME_LIMIT, time_limit=CHUNK_TIME_LIMIT,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, retry_backoff_max=60,
             retry_jitter=True, max_retries=5)
def compute_chunk(self, chunk_id: int) -> bool:
    return chunk_compute(chunk_id=chunk_id)


@shared_task(ignore_result=True, acks_late=True)
def sweep_chunks() -> int:
    return chunks_sweep()
