"""Computing a run: one chunk of employers per task, a finalizer that reconciles, a sweeper for lost chunks.

A chunk is idempotent. It is marked running (its own short transaction, so the sweeper can see it), then,
in one transaction holding the chunk row lock: facts (one statement), the shared calculators, delete of
any rows in its id range, COPY of the new rows, and the chunk marked done with its control totals. A
redelivered or duplicated task either waits for the lock and finds the chunk done (no-op) or redoes it
from scratch — never a duplicate row (UNIQUE(run, employer) backs that up).
"""

from __future__ import annotations

import io
import logging
import os
import socket
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from apps.core.db import analyze_tables
from apps.core.money_sql import MoneySum
from apps.eligibility.calculators import stable_job_refund
from apps.employers.refund_facts import refund_facts_rows
from apps.refunds import fingerprints
from apps.refunds.models import RefundChunk, RefundResult, RefundRun
from apps.refunds.services.dispatch import enqueue_chunks
from apps.refunds.snapshots import run_snapshot

logger = logging.getLogger(__name__)

# A chunk is reconsidered by the sweeper when it has been running (or waiting in the queue) this long.
# Well above a chunk's hard time limit, so a live chunk is never duplicated on purpose (and if it were,
# the row lock makes the duplicate a no-op).
STALE_CHUNK_SECONDS = 300

COLUMNS = ("run_id", "employer_id", "region_code", "entity_type", "industry", "employees", "revenue_10k",
           "assets_10k", "months_paid_in_full", "has_arrears", "serious_dishonesty", "headcount_start",
           "headcount_end", "contributions_paid", "size_class", "eligible", "reasons", "rate", "amount",
           "parameter_versions", "calculator_version", "fingerprint")


def _versions_text(parameters) -> str:
    """Compact: the PolicyParameter ids used, in the calculators' order ("o17" = what-if override of 17).
    The run's `parameter_versions` maps them back to keys."""
    return ",".join(str(p.version).replace("override:", "o") for p in parameters)


def compute_rows(run: RefundRun, *, id_range=None, employer_ids=None):
    """Result tuples (in COLUMNS order) for employers of the run; also used by tests.

    Decision only (explain=False): a row stores facts, codes and parameter versions, never the steps —
    `apps.refunds.explain` recomputes those with explain=True from the stored facts and versions."""
    params = run_snapshot(run)
    calculate = stable_job_refund.calculate
    # The calculators return shared tuples per branch: versions text and fingerprint template once per pair.
    version_texts: dict[tuple[int, int], tuple[str, fingerprints.FingerprintTemplate]] = {}
    run_id = run.pk
    version = fingerprints.CALCULATOR_VERSION
    facts_json = fingerprints.facts_json
    for row, facts, size in refund_facts_rows(employer_ids=employer_ids, id_range=id_range, year=run.year,
                                              region_prefix=run.region.scope_prefix, params=params, explain=False):
        result = calculate(facts, params, explain=False)
        key = (id(result.parameters), id(size.parameters))
        entry = version_texts.get(key)
        if entry is None:
            used = result.parameters + size.parameters
            entry = version_texts[key] = (_versions_text(used), fingerprints.template(used))
        fingerprint = entry[1].of(facts_json(
            entity_type=row[2], industry=row[3], employees=row[4], revenue_10k=row[5], assets_10k=row[6],
            months_paid_in_full=facts.months_paid_in_full, has_arrears=facts.has_arrears,
            serious_dishonesty=facts.serious_dishonesty, headcount_start=facts.headcount_start,
            headcount_end=facts.headcount_end, contributions_paid=facts.contributions_paid))
        yield (run_id, row[0], row[1], row[2], row[3], row[4], row[5], row[6], facts.months_paid_in_full,
               facts.has_arrears, facts.serious_dishonesty, facts.headcount_start, facts.headcount_end,
               facts.contributions_paid, facts.size_class, result.eligible,
               ";".join(reason.code for reason in result.reasons), result.data["rate_percent"], result.amount,
               entry[0], version, fingerprint)


# ---------------------------------------------------------------- writing


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)  # ints, Decimals, codes: no tabs, newlines or backslashes can occur


def _write_postgresql(rows, table: str = "refunds_refundresult") -> tuple[int, int, Decimal]:
    buffer = io.StringIO()
    count = eligible = 0
    total = Decimal(0)
    for row in rows:
        buffer.write("\t".join(map(_copy_text, row)))
        buffer.write("\n")
        count += 1
        if row[15]:
            eligible += 1
            total += row[18]
    with connection.connection.cursor() as cursor:  # the Django connection: same transaction
        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
    return count, eligible, total


def _write_orm(rows) -> tuple[int, int, Decimal]:
    objects = [RefundResult(**dict(zip(COLUMNS, row, strict=True))) for row in rows]
    RefundResult.objects.bulk_create(objects, batch_size=500, ignore_conflicts=True)
    eligible = [o for o in objects if o.eligible]
    return len(objects), len(eligible), sum((o.amount for o in eligible), Decimal(0))


def write_results(run: RefundRun, lo_id: int, hi_id: int, rows) -> tuple[int, int, Decimal]:
    """Replace the run's rows in [lo_id, hi_id) by `rows`. Call inside a transaction."""
    RefundResult.objects.filter(run=run, employer_id__gte=lo_id, employer_id__lt=hi_id).delete()
    writer = _write_postgresql if connection.vendor == "postgresql" else _write_orm
    return writer(rows)


# ---------------------------------------------------------------- a chunk

# For the chunk's transaction only (PostgreSQL). The planner prices a chunk's facts statement (240,000
# contribution rows) high enough to JIT-compile it (~45 ms of compilation per chunk, for nothing) and to
# fan it out to two parallel workers — on a machine whose cores the other chunks already occupy. work_mem
# keeps its sort/hash of a chunk in memory instead of spilling to temp files.
CHUNK_SETTINGS = "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL work_mem = '32MB'"


def chunk_session_settings() -> None:
    """Tune the current transaction for one chunk's statements (no-op outside PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CHUNK_SETTINGS)



def chunk_compute(*, chunk_id: int) -> bool:
    """Compute one chunk; False when there was nothing to do (already done, or the run is not computing)."""
    marked = (RefundChunk.objects.filter(pk=chunk_id, run__status=RefundRun.Status.COMPUTING)
              .exclude(status=RefundChunk.Status.DONE)
              .update(status=RefundChunk.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now(),
                      worker=f"{socket.gethostname()}:{os.getpid()}"[:100]))  # at call time: pool processes fork
    if not marked:
        return False
    with transaction.atomic():
        chunk = RefundChunk.objects.select_for_update(of=("self",)).select_related("run", "run__region").get(
            pk=chunk_id)
        run = chunk.run
        if chunk.status == RefundChunk.Status.DONE or run.status != RefundRun.Status.COMPUTING:
            return False
        chunk_session_settings()
        rows, eligible, amount = write_results(run, chunk.lo_id, chunk.hi_id,
                                               compute_rows(run, id_range=(chunk.lo_id, chunk.hi_id)))
        RefundChunk.objects.filter(pk=chunk_id).update(status=RefundChunk.Status.DONE, rows=rows, eligible=eligible,
                                                      amount=amount, finished_at=timezone.now())
    if not RefundChunk.objects.filter(run_id=run.pk).exclude(status=RefundChunk.Status.DONE).exists():
        run_finalize(run_id=run.pk)
    return True


# ---------------------------------------------------------------- finishing a run


def run_finalize(*, run_id: int) -> RefundRun:
    """When every chunk is done: reconcile the control totals, then computed — or failed, with the reason."""
    with transaction.atomic():
        run = RefundRun.objects.select_for_update().get(pk=run_id)
        if run.status != RefundRun.Status.COMPUTING:
            return run
        chunks = run.chunks.aggregate(n_open=Count("id", filter=~Q(status=RefundChunk.Status.DONE)),
                                      n_rows=Sum("rows"), n_eligible=Sum("eligible"), total=MoneySum("amount"))
        if chunks["n_open"]:
            return run
        results = run.results.aggregate(n_rows=Count("id"), n_eligible=Count("id", filter=Q(eligible=True)),
                                        total=MoneySum("amount", filter=Q(eligible=True)))
        chunk_totals = (chunks["n_rows"] or 0, chunks["n_eligible"] or 0, chunks["total"] or Decimal(0))
        result_totals = (results["n_rows"], results["n_eligible"], results["total"] or Decimal(0))
        problems = []
        if result_totals[0] != run.employers_expected:
            problems.append(f"应计算 {run.employers_expected} 家单位，实际写入 {result_totals[0]} 行")
        if chunk_totals != result_totals:
            problems.append(f"分块合计 {chunk_totals[0]} 行/{chunk_totals[1]} 家符合/{chunk_totals[2]} 元，"
                            f"结果表合计 {result_totals[0]} 行/{result_totals[1]} 家符合/{result_totals[2]} 元")
        run.rows_written, run.eligible_count, run.total_amount = result_totals
        if problems:
            run.status = RefundRun.Status.FAILED
            run.failure = "控制总数核对未通过：" + "；".join(problems)
            logger.error("refund run %s failed reconciliation: %s", run.pk, run.failure)
        else:
            run.status = RefundRun.Status.COMPUTED
            run.computed_at = timezone.now()
            logger.info("refund run computed", extra={"run": run.pk, "rows": result_totals[0],
                                                      "eligible": result_totals[1], "amount": str(result_totals[2])})
        run._change_reason = run.failure or "控制总数核对一致"
        run.save()
        analyze_tables(RefundResult)  # the run's rows are listed next: plan the list for them, not for none
        return run


def chunks_sweep(*, stale_after: int | None = None) -> int:
    """Re-enqueue chunks lost with a worker (running or queued too long); finalize runs left unfinalized."""
    seconds = stale_after if stale_after is not None else getattr(settings, "REFUNDS_STALE_CHUNK_SECONDS",
                                                                  STALE_CHUNK_SECONDS)
    cutoff = timezone.now() - timedelta(seconds=seconds)
    with transaction.atomic():
        stale = list(RefundChunk.objects.select_for_update(skip_locked=True).filter(
            Q(status=RefundChunk.Status.RUNNING, started_at__lt=cutoff)
            | Q(status=RefundChunk.Status.PENDING, enqueued_at__lt=cutoff),
            run__status=RefundRun.Status.COMPUTING).values_list("id", flat=True))
        if stale:
            RefundChunk.objects.filter(id__in=stale).update(status=RefundChunk.Status.PENDING,
                                                           enqueued_at=timezone.now())
            transaction.on_commit(lambda: enqueue_chunks(stale))
    unfinished = (RefundRun.objects.filter(status=RefundRun.Status.COMPUTING)
                  .exclude(chunks__status__in=[RefundChunk.Status.PENDING, RefundChunk.Status.RUNNING])
                  .values_list("id", flat=True))
    for run_id in list(unfinished):
        run_finalize(run_id=run_id)
    if stale:
        logger.info("refund chunks re-enqueued", extra={"chunks": len(stale)})
    return len(stale)


# While someone waits on a run (the run page's progress poll, `refund_run`), a lost chunk is swept without
# beat: at most once per this many seconds per process.
SWEEP_EVERY_SECONDS = 15


def chunks_sweep_if_due() -> int:
    """chunks_sweep(), unless another poll swept in the last SWEEP_EVERY_SECONDS."""
    if not cache.add("refunds.chunks_sweep", 1, timeout=SWEEP_EVERY_SECONDS):
        return 0
    return chunks_sweep()


# ---------------------------------------------------------------- one row from given facts (an upheld objection)


def compute_row_from_facts(run: RefundRun, params, *, employer_id: int, region_code: str, entity_type: str,
                           industry: str, employees, revenue_10k, assets_10k, months_paid_in_full: int,
                           has_arrears: bool, serious_dishonesty: bool, headcount_start: int, headcount_end: int,
                           contributions_paid: Decimal) -> tuple:
    """The COLUMNS tuple of one employer decided on the facts given (not gathered from the registry): the same
    calculators, parameter snapshot, versions text and fingerprint as `compute_rows`."""
    from apps.eligibility.calculators import enterprise_size
    from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
    from apps.employers.refund_facts import enterprise_size_facts

    size = enterprise_size.calculate(enterprise_size_facts(
        facts_year=run.facts_year, industry=industry, employees=employees, revenue=revenue_10k,
        total_assets=assets_10k, insured_headcount_december=headcount_end), params, explain=False)
    facts = StableJobRefundFacts(
        facts_year=run.facts_year, entity_type=entity_type, size_class=size.data["size_class"],
        months_paid_in_full=months_paid_in_full, has_arrears=has_arrears, serious_dishonesty=serious_dishonesty,
        headcount_start=headcount_start, headcount_end=headcount_end, contributions_paid=contributions_paid)
    result = stable_job_refund.calculate(facts, params, explain=False)
    used = result.parameters + size.parameters
    fingerprint = fingerprints.template(used).of(fingerprints.facts_json(
        entity_type=entity_type, industry=industry, employees=employees, revenue_10k=revenue_10k,
        assets_10k=assets_10k, months_paid_in_full=months_paid_in_full, has_arrears=has_arrears,
        serious_dishonesty=serious_dishonesty, headcount_start=headcount_start, headcount_end=headcount_end,
        contributions_paid=contributions_paid))
    return (run.pk, employer_id, region_code, entity_type, industry, employees, revenue_10k, assets_10k,
            months_paid_in_full, has_arrears, serious_dishonesty, headcount_start, headcount_end, contributions_paid,
            facts.size_class, result.eligible, ";".join(reason.code for reason in result.reasons),
            result.data["rate_percent"], result.amount, _versions_text(used), fingerprints.CALCULATOR_VERSION,
            fingerprint)
