"""Celery: the monthly subsidy run's computation (load by id, call the service). Safe to retry or redeliver: each
chunk commits on its own and skips the placements that already have a line (unique (run, placement))."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from apps.public_posts.services import run_compute

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, autoretry_for=(OperationalError,
             InterfaceError), retry_backoff=2, retry_backoff_max=60, max_retries=5)
def compute_run(run_id: int) -> None:
    run_compute(run_id=run_id)
