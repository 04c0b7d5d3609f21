"""Celery: load by id, call the service. The batch is idempotent and resumable: its progress (`done`) is saved
after every chunk, a notice whose content did not change is kept, and a finished batch is left alone."""

from celery import shared_task

from apps.documents.services import batch_run


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=1800, time_limit=1900)
def generate_batch(batch_id: int) -> None:
    batch_run(batch_id=batch_id)
