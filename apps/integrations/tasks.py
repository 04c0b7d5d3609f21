"""Celery: deliver one outbound message, sweep the outbox. Load by id, call the service; both are safe to repeat."""

from celery import shared_task

from apps.integrations.services import outbound_deliver, outbound_sweep

# Well below INTEGRATION_LEASE_SECONDS: a sender still running when its lease ends was stopped first.
DELIVER_SOFT_TIME_LIMIT = 60
DELIVER_TIME_LIMIT = 90


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=DELIVER_SOFT_TIME_LIMIT, time_limit=DELIVER_TIME_LIMIT)
def deliver(message_id: int) -> str:
    return outbound_deliver(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep() -> int:
    return outbound_sweep()
