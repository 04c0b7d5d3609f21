from celery import shared_task

from apps.childcare.services.claim_runs import claim_run_execute, claim_run_fail


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=30)
def compute_claims_for_year(self, run_id: int) -> int:
    """Load the run by id and compute; idempotent, so a retry after a crash just carries on."""
    try:
        return claim_run_execute(run_id=run_id).pk
    except Exception as error:  # noqa: BLE001 — record the failure on the run, then let Celery retry
        claim_run_fail(run_id=run_id, error=error)
        raise self.retry(exc=error) from error
