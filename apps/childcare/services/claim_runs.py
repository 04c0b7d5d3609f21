"""Batch runs: "compute every claim of year Y in my region", executed by a Celery task with progress.

The task (tasks.py) loads the run by id and calls claim_run_execute; this module enqueues it by name after
the commit, so services never import tasks.
"""

import logging
from collections import Counter
from datetime import date

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.childcare.models import ClaimRun, Institution
from apps.childcare.services.claims import check_year, claim_compute
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import Region
from apps.core.scoping import filter_by_prefix, scope_queryset

logger = logging.getLogger(__name__)

COMPUTE_TASK = "apps.childcare.tasks.compute_claims_for_year"
# Progress is written after every this many institutions: frequent enough for the progress bar,
# rare enough not to double the number of writes on a province-wide run.
PROGRESS_EVERY = 10


def _run_region(user) -> Region:
    region = getattr(user, "region", None)
    if region is not None:
        return region
    if user.is_superuser:
        return Region.objects.get(pk=settings.PORTAL_ROOT_REGION)
    raise ApplicationError("no_region", "您的账号未分配区划，不能发起批量测算")


def _enqueue(run_id: int) -> None:
    # A signature by name runs the registered task (eagerly when there is no broker) or sends it by name.
    current_app.signature(COMPUTE_TASK, args=[run_id]).apply_async()


@transaction.atomic
def claim_run_start(*, user, year: int) -> ClaimRun:
    check_year(year)
    region = _run_region(user)
    busy = ClaimRun.objects.filter(region=region, year=year,
                                   status__in=[ClaimRun.Status.PENDING, ClaimRun.Status.RUNNING]).first()
    if busy is not None:
        raise ConflictError("run_in_progress", f"{region.name}{year}年的批量测算正在进行中（编号 {busy.pk}）")
    run = ClaimRun.objects.create(year=year, region=region, created_by=user)
    transaction.on_commit(lambda: _enqueue(run.pk))
    logger.info("claim run started", extra={"run_id": run.pk, "region": region.code, "year": year,
                                            "user_id": user.pk})
    return run


def run_institutions(run: ClaimRun) -> list[Institution]:
    """The institutions with a child enrolled in the run's year, inside the run's region.

    What the starter may see is decided by core.scoping (fail closed: a starter who has since lost their
    region or account computes nothing); the run's own region (a superuser may start one for a smaller
    region) by the same prefix rule (core.scoping.filter_by_prefix).
    """
    first, last = date(run.year, 1, 1), date(run.year, 12, 31)
    queryset: QuerySet[Institution] = scope_queryset(Institution.objects.all(), run.created_by).filter(
        enrollments__start_date__lte=last).filter(
        Q(enrollments__end_date__isnull=True) | Q(enrollments__end_date__gte=first)).distinct().order_by("pk")
    return list(filter_by_prefix(queryset, run.region.scope_prefix))


def claim_run_execute(*, run_id: int) -> ClaimRun:
    """Compute every editable claim of the run's region and year. Safe to retry: frozen claims are skipped,
    editable ones are recomputed to the same figures. Each institution commits on its own."""
    run = ClaimRun.objects.select_related("region", "created_by").get(pk=run_id)
    if run.status == ClaimRun.Status.DONE:
        return run
    institutions = run_institutions(run)
    counts: Counter[str] = Counter()
    ClaimRun.objects.filter(pk=run.pk).update(status=ClaimRun.Status.RUNNING, total=len(institutions), processed=0)
    errors = []
    for index, institution in enumerate(institutions, start=1):
        try:
            claim_compute(institution=institution, year=run.year, user=run.created_by)
            counts["computed"] += 1
        except ConflictError:
            counts["skipped"] += 1
        except ApplicationError as error:
            counts["failed"] += 1
            errors.append(f"{institution.name}：{error.message}")
        if index % PROGRESS_EVERY == 0 or index == len(institutions):
            ClaimRun.objects.filter(pk=run.pk).update(processed=index, **counts)
    ClaimRun.objects.filter(pk=run.pk).update(
        status=ClaimRun.Status.DONE, processed=len(institutions), finished_at=timezone.now(),
        message="\n".join(errors[:50]), **counts)
    run.refresh_from_db()
    logger.info("claim run finished", extra={"run_id": run.pk, "year": run.year, "region": run.region_id,
                                             "total": len(institutions), **counts})
    return run


def claim_run_fail(*, run_id: int, error: Exception) -> None:
    """Record a crash on the run (the task retries afterwards)."""
    ClaimRun.objects.filter(pk=run_id).update(status=ClaimRun.Status.FAILED, message=str(error)[:2000])
    logger.warning("claim run failed", extra={"run_id": run_id, "error": str(error)[:200]})
