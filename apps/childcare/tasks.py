from celery import shared_task

from apps.childcare.claims import claim_run_execute
from apps.childcare.models import ClaimRun


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=30)
def compute_claims_for_year(self, run_id: int) -> int:
    """Load the run by id and compute; idempotent, so a retry after a crash just carries on."""
    try:
        return claim_run_execute(run_id=run_id).pk
    except Exception as error:  # noqa: BLE001 — record the failure on the run, then let Celery retry
        ClaimRun.objects.filter(pk=run_id).update(status=ClaimRun.Status.FAILED, message=str(error)[:2000])
        raise self.retry(exc=error) from error
