from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from apps.eligibility.services import benefit_match_run
from apps.eligibility.verification import verification_chunk_check, verification_start


@shared_task(ignore_result=True, acks_late=True)
def match_benefits(as_of: str | None = None) -> int:
    """Daily (beat): 免申即享 matching of people to benefits. Safe to retry — matches have a unique key."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return benefit_match_run(as_of=day)


@shared_task(ignore_result=True, acks_late=True)
def verify_decisions(kinds: list[str] | None = None, since: str | None = None) -> int:
    """Nightly (beat): start a verification run of every stored decision; its chunks are tasks of their own."""
    return verification_start(kinds=kinds, since=date.fromisoformat(since) if since else None).pk


@shared_task(bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def verify_chunk(self, chunk_id: int) -> bool:
    """One chunk of a verification run; a done chunk is a no-op, so a redelivery is safe."""
    return verification_chunk_check(chunk_id=chunk_id)
