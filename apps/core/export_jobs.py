"""Large exports as background jobs, for any app that registers an ExportSource (from its AppConfig.ready()).

The shape is the notice batch's (apps.documents): the request creates a job row and returns at once; a Celery
task writes the file (progress saved as it goes), stores it in Django's storage and marks the job done; the
page polls the job's status and then offers the download. Only then is the export *recorded* — the source's
`recorded` hook writes the access-log row (and, for a refund run, the 已导出 move): a file that never got
built was never exported. Each download of the stored file is an access-log row as well.

- One active job per (source record, format, user): a second click while one is queued or running returns
  it (serialised in the database, and a conditional unique constraint as the backstop).
- A worker killed mid-file: the message is redelivered (acks_late) and the file is rewritten from the start;
  a job with no progress for EXPORT_STALE_MINUTES is queued again by the next click.
- Files expire after EXPORT_FILE_TTL_HOURS (`files_purge`, hourly beat); the job row stays as the record.
- With a read replica configured (docs/scaling.md) the rows are read there (`replica_reads()`); the primary
  counts them first, and a file with another number of rows — a replica behind the primary — is written again
  from the primary, so a lagging replica costs time, never a short file.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone

from apps.core.audit import log_read
from apps.core.db_router import replica_configured, replica_reads
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.locks import serialize
from apps.core.models import AccessLog, ExportJob

logger = logging.getLogger(__name__)

TASK = "apps.core.tasks.export_run"
PROGRESS_EVERY = 10_000  # rows between two progress saves
FAILED_MESSAGE = "导出文件生成失败，请重新导出；多次失败请联系系统管理员"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportSource:
    """What an app tells the export service about one kind of record."""

    key: str  # stored on the job, e.g. "refund-run"
    label: str  # 稳岗返还结果
    record: Callable[[Any, int], Any]  # (user, id) → the record, scoped: NotFoundError/Http404 outside the region
    check: Callable[[Any], None]  # (record) → raises ApplicationError when it cannot be exported now
    count: Callable[[Any, Any], int]  # (user, record) → rows the user's export holds
    write: Callable[[Any, Any, str, Any, Progress], int]  # (user, record, fmt, binary handle, progress) → rows
    recorded: Callable[[Any, Any, int, str], None]  # (user, record, rows, fmt): the export happened
    filename: Callable[[Any, str], str]  # (record, fmt) → the download's name
    formats: tuple[str, ...] = ("csv", "xlsx")


_SOURCES: dict[str, ExportSource] = {}


def register_source(source: ExportSource) -> None:
    _SOURCES[source.key] = source


def source_get(key: str) -> ExportSource:
    return _SOURCES[key]


# ------------------------------------------------------------------ reads


def job_get(*, user, pk: int) -> ExportJob:
    """The user's own job, while they may still see its record; else 404 (no existence oracle)."""
    job = ExportJob.objects.filter(pk=pk, started_by=user).first()
    if job is None or job.source not in _SOURCES:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    _SOURCES[job.source].record(user, job.source_id)
    return job


def jobs_latest(*, user, source: ExportSource, source_id: int) -> dict[str, ExportJob]:
    """The user's latest job of each format for the record (the run page's export box)."""
    latest: dict[str, ExportJob] = {}
    for job in ExportJob.objects.filter(source=source.key, source_id=source_id, started_by=user).order_by("-id")[:20]:
        latest.setdefault(job.fmt, job)
    return latest


def job_status(job: ExportJob) -> dict:
    return {"id": job.pk, "source": job.source, "source_id": job.source_id, "format": job.fmt,
            "status": job.status, "status_display": _status_display(job), "total": job.total, "done": job.done,
            "percent": job.percent, "ready": job.ready, "error": job.error, "filename": job.filename,
            "size": job.size, "created_at": job.created_at, "finished_at": job.finished_at,
            "expires_at": job.expires_at, "status_url": reverse("export-job", args=[job.pk]),
            "download_url": reverse("export-job-download", args=[job.pk]) if job.ready else ""}


def _status_display(job: ExportJob) -> str:
    if job.status == ExportJob.Status.DONE and not job.file:
        return "已过期"
    return job.get_status_display()


# ------------------------------------------------------------------ writes


def _stale(job: ExportJob) -> bool:
    last = job.progress_at or job.created_at
    return last < timezone.now() - timedelta(minutes=settings.EXPORT_STALE_MINUTES)


def job_start(*, source: ExportSource, record, fmt: str, user) -> ExportJob:
    """Queue an export of the record for the user, or return the one already queued or running (a job that
    stopped making progress — its worker died — is queued again)."""
    if fmt not in source.formats:
        raise ApplicationError("invalid_format", f"导出格式只能是 {' 或 '.join(source.formats)}", {"format": list(source.formats)})
    source.check(record)
    with transaction.atomic():
        serialize(f"export-job:{source.key}:{record.pk}:{fmt}:{user.pk}")
        job = (ExportJob.objects.select_for_update()
               .filter(source=source.key, source_id=record.pk, fmt=fmt, started_by=user, status__in=ExportJob.ACTIVE)
               .first())
        if job is not None and not _stale(job):
            return job
        if job is None:
            job = ExportJob.objects.create(source=source.key, source_id=record.pk, fmt=fmt, started_by=user,
                                           total=source.count(user, record), filename=source.filename(record, fmt))
        else:
            logger.warning("export job stalled, queued again", extra={"job_id": job.pk})
            job.status, job.progress_at = ExportJob.Status.PENDING, timezone.now()
            job.save(update_fields=["status", "progress_at"])
        job_id = job.pk
        transaction.on_commit(lambda: current_app.tasks[TASK].delay(job_id))
    logger.info("export job queued", extra={"job_id": job.pk, "source": source.key, "source_id": record.pk,
                                            "format": fmt})
    return job


def job_run(*, job_id: int) -> ExportJob:
    """The task's body: write the file (progress saved every PROGRESS_EVERY rows), store it, mark the job done
    and only then record the export. A finished or failed job is left alone (a redelivered message)."""
    job = ExportJob.objects.select_related("started_by").get(pk=job_id)
    if job.status not in ExportJob.ACTIVE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0, progress_at=timezone.now())
    source = _SOURCES[job.source]
    user = job.started_by

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=min(done, job.total) if job.total else done,
                                                   progress_at=timezone.now())

    try:
        record = source.record(user, job.source_id)
        source.check(record)
        with tempfile.TemporaryFile(suffix=f".{job.fmt}") as handle:
            rows = _write(source, user, record, job, handle, progress)
            size = handle.tell()
            handle.seek(0)
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job.pk)
                job.file.save(f"{job.pk}.{job.fmt}", File(handle), save=False)
                now = timezone.now()
                job.status, job.done, job.total, job.size = ExportJob.Status.DONE, rows, rows, size
                job.finished_at, job.progress_at = now, now
                job.expires_at = now + timedelta(hours=settings.EXPORT_FILE_TTL_HOURS)
                job.save()
                source.recorded(user, record, rows, job.fmt)  # the file is ready: now it is an export
    except Exception as error:  # noqa: BLE001 — any failure is the job's state, shown on the page
        message = error.message if isinstance(error, ApplicationError) else FAILED_MESSAGE
        if isinstance(error, Http404) and not isinstance(error, ApplicationError):
            message = "记录不存在或无权访问。"
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=message[:500],
                                                   finished_at=timezone.now())
        logger.exception("export job failed", extra={"job_id": job.pk})
        job.refresh_from_db()
        return job
    logger.info("export job done", extra={"job_id": job.pk, "rows": rows, "bytes": size})
    return job


def _write(source: ExportSource, user, record, job: ExportJob, handle, progress) -> int:
    """The file's rows from the replica when there is one, checked against the primary's count; else (or when
    the replica is behind) from the primary."""
    if replica_configured():
        expected = source.count(user, record)
        with replica_reads():
            rows = source.write(user, record, job.fmt, handle, progress)
        if rows == expected:
            return rows
        logger.warning("export replica behind the primary; written again from the primary",
                       extra={"job_id": job.pk, "replica_rows": rows, "primary_rows": expected})
        handle.seek(0)
        handle.truncate()
    return source.write(user, record, job.fmt, handle, progress)


def job_download_response(*, user, request, job: ExportJob) -> FileResponse:
    """The stored file of a finished job (the caller has scoped it with job_get); each download is logged."""
    if not job.ready:
        raise Http404("导出文件尚未生成或已过期")
    source = _SOURCES[job.source]
    record = source.record(user, job.source_id)
    log_read(user=user, obj=record, request=request, action=AccessLog.Action.EXPORT,
             purpose=f"下载导出文件 #{job.pk}：{source.label} {job.total} 行（{job.fmt.upper()}）")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename or f"export-{job.pk}.{job.fmt}",
                        content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"))


def files_purge(*, now=None) -> int:
    """Delete the stored files of jobs past their expiry (the rows stay: who exported what, when)."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count
