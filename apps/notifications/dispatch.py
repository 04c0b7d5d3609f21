"""Delivery tasks enqueued by name (services never import tasks): call from transaction.on_commit."""

from apps.core.outbox import task_dispatcher

DELIVER_TASK = "apps.notifications.tasks.deliver"
dispatch = task_dispatcher(DELIVER_TASK)
