from datetime import date

from celery import shared_task

from apps.child_welfare import monitoring


@shared_task(bind=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def escalate_overdue_visits(self, today: str | None = None) -> int:
    """Beat, daily. Idempotent: an escalation is unique per (case, missed due date), so a retry is a no-op."""
    return monitoring.escalate_overdue_visits(today=date.fromisoformat(today) if today else date.today())
