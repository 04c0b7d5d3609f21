from celery import shared_task

from apps.core import export_jobs
from apps.core.api.idempotency import purge_expired as purge_expired_idempotency_keys
from apps.core.models import Heartbeat
from apps.core.retention import audit_purge as purge_audit_trail

# How many heartbeats to keep: one a minute for a day is plenty to see a gap.
HEARTBEATS_KEPT = 1440


@shared_task(bind=True, ignore_result=True)
def heartbeat(self) -> int:
    # In-process (eager) beats say so; Celery gives an eager task this machine's hostname, not a worker's.
    worker = "eager" if self.request.is_eager else (self.request.hostname or "unknown")
    beat = Heartbeat.objects.create(worker=worker)
    stale = Heartbeat.objects.order_by("-at").values_list("id", flat=True)[HEARTBEATS_KEPT:HEARTBEATS_KEPT + 1]
    if stale:
        Heartbeat.objects.filter(id__lte=stale[0]).delete()
    return beat.pk


@shared_task(ignore_result=True)
def audit_purge() -> int:
    """Daily: the retention purge (apps.core.retention), the one path that deletes audit rows."""
    return sum(purge_audit_trail().values())


@shared_task(ignore_result=True)
def idempotency_keys_purge() -> int:
    """Hourly: API idempotency keys and UI form tokens past IDEMPOTENCY_KEY_TTL_HOURS (apps.core.api.idempotency)."""
    return purge_expired_idempotency_keys()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=1800, time_limit=1900)
def export_run(job_id: int) -> None:
    """A background export (apps.core.export_jobs): a redelivered message after a killed worker rewrites the file."""
    export_jobs.job_run(job_id=job_id)


@shared_task(ignore_result=True)
def export_files_purge() -> int:
    """Hourly: stored export files past EXPORT_FILE_TTL_HOURS."""
    return export_jobs.files_purge()
