"""Enqueueing chunk tasks by name: services never import tasks (tasks import services).

The task is looked up in the Celery app's registry by its name, so no module of this package imports
apps.refunds.tasks; `delay` keeps the app's settings (eager in tests, the broker otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable

from celery import current_app

COMPUTE_CHUNK_TASK = "apps.refunds.tasks.compute_chunk"


def enqueue_chunks(chunk_ids: Iterable[int]) -> None:
    """One compute task per chunk. Call from transaction.on_commit: a worker must see the chunk rows."""
    task = current_app.tasks[COMPUTE_CHUNK_TASK]
    for chunk_id in chunk_ids:
        task.delay(chunk_id)
