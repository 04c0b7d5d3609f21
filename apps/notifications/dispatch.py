"""Delivery tasks enqueued by name (services never import tasks): call from transaction.on_commit."""

from __future__ import annotations

from collections.abc import Iterable

from celery import current_app

DELIVER_TASK = "apps.notifications.tasks.deliver"


def dispatch(message_ids: Iterable[int], countdown: float | None = None) -> None:
    task = current_app.tasks[DELIVER_TASK]
    for message_id in message_ids:
        task.apply_async((message_id,), countdown=countdown)
