"""Background imports: a large upload from the page (apps.imports.services.import_enqueue)."""

from celery import shared_task

from apps.imports import services


@shared_task(name="apps.imports.tasks.import_stored_file", acks_late=True)
def import_stored_file(batch_id: int) -> None:
    """Idempotent: the batch is claimed from "queued" first, so a redelivered message does nothing."""
    services.import_stored_file(batch_id=batch_id)
