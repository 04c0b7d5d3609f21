"""Writes: start a run, review it (初审, 公示, 复核 or 退回: apps.refunds.publicity), record an export. Computing a run lives in computing.py."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.audit import log_read
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.locks import serialize
from apps.core.models import AccessLog, Region
from apps.core.review import check_reviewer
from apps.core.scoping import prefix_covers, user_can_see_region
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_versions_freeze
from apps.employers.refund_facts import employer_id_ranges
from apps.refunds.models import RefundChunk, RefundRun
from apps.refunds.publicity import REVIEW_LIFECYCLE, publicity_open_holds
from apps.refunds.services.computing import run_finalize
from apps.refunds.services.dispatch import enqueue_chunks
from apps.refunds.snapshots import PARAMETER_PREFIXES, snapshot_date, versions_for_run

logger = logging.getLogger(__name__)

# Employers per chunk (one task, one facts statement, one COPY). Memory per chunk: the facts rows and the
# COPY text of 10,000 employers are about 4 MB in the worker; PostgreSQL aggregates ~240,000 contribution
# rows per chunk in work_mem. Small enough that a redelivered chunk costs a second, large enough that the
# per-task overhead (a few queries, a broker round trip) stays under 2% of the time.
CHUNK_SIZE = 10_000
FIRST_REFUND_YEAR = 2020


class PermissionDeniedError(ApplicationError):
    status_code = 403


def _check_year(year: int) -> None:
    if year < FIRST_REFUND_YEAR or year > date.today().year + 1:
        raise ApplicationError("invalid_year", f"返还年度应在 {FIRST_REFUND_YEAR} 年至 {date.today().year + 1} 年之间",
                               {"year": ["年度不在允许范围内"]})


def _region_for(user, region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ApplicationError("invalid_region", "区划代码不存在", {"region": ["区划代码不存在"]})
    # A superuser sees everything, yet one with a region starts runs only inside it.
    if not user_can_see_region(user, region.code) or (user.region_id and not prefix_covers(
            user.region.scope_prefix, region.code)):
        raise PermissionDeniedError("region_out_of_scope", "不能为本人辖区以外的区划发起稳岗返还计算",
                                    {"region": ["超出本人辖区"]})
    return region


def _check_no_local_parameters(region: Region, year: int) -> None:
    """A run applies one parameter set. Refuse when a district below the run's region has its own rows."""
    as_of = date(year - 1, 12, 31)
    local = (PolicyParameter.objects.filter(region__code__startswith=region.scope_prefix, valid_from__lte=as_of)
             .exclude(region_id=region.code).exclude(valid_to__lt=as_of)
             .filter(key__regex=r"^(" + "|".join(p.replace(".", r"\.") for p in PARAMETER_PREFIXES) + ")")
             .values_list("region_id", flat=True).first())
    if local:
        raise ApplicationError("region_has_local_parameters",
                               f"下级区划 {local} 有本地稳岗返还参数，请按该区划分别发起计算", {"region": [local]})


def _check_no_overlapping_official_run(region: Region, year: int) -> None:
    """The database allows one official run per (year, region); a city run and a district run of the same
    year would pay the district twice, so overlapping regions are refused here too. The check runs under a
    lock held until the run's transaction commits: two starts at the same instant are serialised, and the
    second one sees the first one's run."""
    serialize(f"refunds.official_run.{year}")
    prefix = region.scope_prefix
    for other in (RefundRun.objects.filter(year=year, is_official=True).exclude(status=RefundRun.Status.REJECTED)
                  .select_related("region")):
        other_prefix = other.region.scope_prefix
        if prefix_covers(other_prefix, region.code) or prefix_covers(prefix, other.region.code):
            raise ConflictError("run_exists", f"{year} 年已有覆盖该区划的正式批次（#{other.pk}，{other.region.name}），"
                                              "除非该批次被退回，否则不能再次发起",
                                {"year": [f"已有正式批次 #{other.pk}"]})


@transaction.atomic
def run_start(*, user, year: int, region_code: str, dry_run: bool = False, overrides: dict[str, Any] | None = None,
              chunk_size: int = CHUNK_SIZE) -> RefundRun:
    """Create the run and its chunks; the chunks are enqueued when the transaction commits."""
    _check_year(year)
    region = _region_for(user, region_code)
    if overrides and not dry_run:
        raise ApplicationError("overrides_need_dry_run", "只有模拟测算可以调整参数", {"overrides": ["正式批次不能调整参数"]})
    _check_no_local_parameters(region, year)
    if not dry_run:
        _check_no_overlapping_official_run(region, year)
    versions = versions_for_run(year=year, region_code=region.code, overrides=overrides)
    try:
        with transaction.atomic():
            run = RefundRun.objects.create(year=year, region=region, is_official=not dry_run, started_by=user,
                                           overrides=overrides or {}, parameter_versions=versions,
                                           chunk_size=chunk_size)
    except IntegrityError as error:  # a concurrent start that passed the check above at the same moment
        raise ConflictError("run_exists", f"{year} 年该区划已有正式批次") from error
    # Every row of the run is decided on these versions: from now on they are frozen.
    parameter_versions_freeze(versions=versions.values(), on=snapshot_date(year))
    total, bounds = employer_id_ranges(region_prefix=region.scope_prefix, chunk_size=chunk_size)
    now = timezone.now()
    chunks = RefundChunk.objects.bulk_create(
        [RefundChunk(run=run, lo_id=lo, hi_id=hi, enqueued_at=now) for lo, hi in bounds])
    run.employers_expected = total
    run.status = RefundRun.Status.COMPUTING
    run._change_reason = f"分为 {len(chunks)} 个分块，共 {total} 家单位"
    run.save()
    chunk_ids = [chunk.pk for chunk in chunks]
    if chunk_ids:
        transaction.on_commit(lambda: enqueue_chunks(chunk_ids))
    else:
        transaction.on_commit(lambda: run_finalize(run_id=run.pk))
    logger.info("refund run started", extra={"run": run.pk, "year": year, "region": region.code,
                                             "official": not dry_run, "chunks": len(chunks), "employers": total})
    return run


def _locked_run(run_id: int) -> RefundRun:
    return RefundRun.objects.select_for_update().select_related("region").get(pk=run_id)


def _review_move(run_id: int, user, action: str, *, note: str, payload: dict | None = None) -> RefundRun:
    """One move of the review lifecycle (apps.refunds.publicity.REVIEW_LIFECYCLE) on the locked run."""
    run = _locked_run(run_id)
    check_reviewer(user)  # who, before what state: a caseworker is refused (403) whatever the run's status
    if not user_can_see_region(user, run.region_id):
        raise PermissionDeniedError("region_out_of_scope", "不能审核本人辖区以外的批次")
    REVIEW_LIFECYCLE.apply(run, action, user=user, note=note, payload=payload or {})
    logger.info(f"refund run {action}", extra={"run": run.pk, "by": user.pk, "action": action})
    return run


@transaction.atomic
def run_first_review(*, run_id: int, user, comment: str = "") -> RefundRun:
    """初审: computed → first_reviewed; a reviewer who did not start the run (four eyes)."""
    return _review_move(run_id, user, "first_review", note=comment.strip()[:500] or "初审通过",
                        payload={"comment": comment})


@transaction.atomic
def run_publish(*, run_id: int, user, today: date | None = None) -> RefundRun:
    """公示: first_reviewed → publicizing; opens the public list (token) and its window in working days from
    the parameter refund.publicity_working_days. `today` is the day of publication (tests pass one)."""
    run = _review_move(run_id, user, "publish", note="发布公示", payload={"today": today})
    days = f"{run.publicity_starts_on:%Y-%m-%d} 至 {run.publicity_ends_on:%Y-%m-%d}"
    run.transitions.filter(action="publish").update(note=f"发布公示，公示期 {days}")
    return run


@transaction.atomic
def run_approve(*, run_id: int, user, comment: str = "", today: date | None = None) -> RefundRun:
    """复核: publicizing → approved, once the window has passed (today > its last day, else 409
    publicity_window_open); a reviewer who neither started the run nor made the first review. Rows held by
    an objection (publicity_open_holds) are named in the record and do not hold up the rest."""
    run = RefundRun.objects.filter(pk=run_id).first()
    holds = publicity_open_holds(run) if run is not None else []
    note = comment.strip()[:400] or "复核通过"
    if holds:
        note += f"（{len(holds)} 家单位因异议暂缓）"
    return _review_move(run_id, user, "approve", note=note, payload={"comment": comment, "today": today})


@transaction.atomic
def run_reject(*, run_id: int, user, comment: str) -> RefundRun:
    """退回 from computed, failed, first_reviewed or publicizing (a published list comes down), with a reason."""
    return _review_move(run_id, user, "reject", note=comment.strip()[:500], payload={"comment": comment})


@transaction.atomic
def run_mark_exported(*, run_id: int, user) -> RefundRun:
    """An approved run's export is the disbursement list: the run moves to "exported" (rows stay frozen)."""
    run = _locked_run(run_id)
    if run.status == RefundRun.Status.APPROVED:
        run.status = RefundRun.Status.EXPORTED
        run.exported_at = timezone.now()
        run._change_reason = f"{user} 导出发放清单"
        run.save()
    return run


def default_region_code(user) -> str:
    return str(user.region_id or settings.PORTAL_ROOT_REGION)


def run_export_record(*, run: RefundRun, user, request=None, rows: int, fmt: str) -> RefundRun:
    """One access-log row per export (the run, the row count, the format); an approved run becomes exported.

    Employers are organisations, but individual businesses insured as units are people's businesses, so the
    export is logged like any personal-data export — one row per file, not a million rows per file.
    """
    log_read(user=user, obj=run, request=request, action=AccessLog.Action.EXPORT,
             purpose=f"导出稳岗返还结果 {rows} 行（{fmt.upper()}）")
    return run_mark_exported(run_id=run.pk, user=user)
