from celery import shared_task

from apps.training.services import worklist_refresh


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_follow_up_worklist() -> dict:
    """Beat, hourly: materialise overdue follow-ups as worklist items. Safe to re-run at any time."""
    return worklist_refresh()
