from datetime import date

from celery import shared_task
from django.utils import timezone

from apps.eligibility.services import benefit_match_run


@shared_task(ignore_result=True, acks_late=True)
def match_benefits(as_of: str | None = None) -> int:
    """Daily (beat): 免申即享 matching of people to benefits. Safe to retry — matches have a unique key."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    return benefit_match_run(as_of=day)
