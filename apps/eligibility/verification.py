"""Re-verifying every stored decision: the verifier registry and the verification runs.

Each app that stores decisions owns how they are recomputed: it registers a `Verifier` here in its
AppConfig.ready() (eligibility's own determinations, refund result rows, childcare and training claims).
A verifier recomputes the records of one id range from their stored inputs and stored parameter versions
— never from what is in force today — and reports what no longer matches.

A run (`verification_start`) cuts every kind into id-range chunks (VerificationChunk) and enqueues one task
per chunk by name (apps.eligibility.tasks.verify_chunk: a worker when a broker is set, in-process
otherwise); the chunk that finishes last totals the run. `decisions_verify` and the nightly beat entry
start runs; the last run shows on the dashboard and in the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from celery import current_app
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.eligibility.models import VerificationChunk, VerificationMismatch, VerificationRun

logger = logging.getLogger(__name__)

VERIFY_CHUNK_TASK = "apps.eligibility.tasks.verify_chunk"
# Mismatch lines kept per chunk (all are counted): a changed parameter can touch a million refund rows.
MAX_MISMATCH_ROWS_PER_CHUNK = 200


@dataclass(frozen=True)
class Mismatch:
    record: str  # e.g. "稳岗返还结果 run 3 / 单位 1234 (#56789)"
    message: str  # Chinese: what differs, stored vs recomputed


@dataclass
class ChunkOutcome:
    checked: int = 0
    unverifiable: int = 0  # stored before fingerprints existed and without inputs to recompute from
    mismatches: list[Mismatch] = field(default_factory=list)


@dataclass(frozen=True)
class Verifier:
    """`queryset(since)`: the records to check (filtered by date when `since` is given), ids are chunked;
    `check(lo, hi, since)`: recompute the records with lo <= id < hi."""

    kind: str
    label: str
    queryset: Callable[[date | None], QuerySet]
    check: Callable[[int, int, date | None], ChunkOutcome]
    chunk_size: int = 20_000
    order: int = 100


VERIFIERS: dict[str, Verifier] = {}


def register_verifier(verifier: Verifier) -> None:
    VERIFIERS[verifier.kind] = verifier


def verifiers(kinds: Iterable[str] | None = None) -> list[Verifier]:
    chosen = sorted(VERIFIERS.values(), key=lambda v: (v.order, v.kind))
    if kinds:
        wanted = set(kinds)
        unknown = wanted - set(VERIFIERS)
        if unknown:
            raise ApplicationError("unknown_kind", f"未知的核验类别：{'、'.join(sorted(unknown))}",
                                   {"kind": sorted(unknown)})
        chosen = [v for v in chosen if v.kind in wanted]
    return chosen


def since_start(since: date | None) -> datetime | None:
    """The first moment of `since` in the portal's time zone (for created_at / computed_at filters)."""
    return timezone.make_aware(datetime.combine(since, time.min)) if since else None


def outcome_add(outcome: ChunkOutcome, record: str, problems: list[str]) -> None:
    if problems:
        outcome.mismatches.append(Mismatch(record, "；".join(problems)))


def compare(problems: list[str], label: str, stored, recomputed) -> None:
    if stored != recomputed:
        problems.append(f"{label}：存储 {stored}，重算 {recomputed}")


def compare_provenance(problems: list[str], *, stored_version: str, current_version: str, stored_fingerprint: str,
                       recomputed_fingerprint: str, reproduces: Collection[str] = ()) -> None:
    """The two checks every verifier ends with: the calculator's rules are still the version the decision was
    made with — or one the current code declares it reproduces exactly (`reproduces`, the module's REPRODUCES,
    pinned by its golden cases) — and its inputs (facts + the used versions' values) still hash to the stored
    fingerprint."""
    if stored_version != current_version and stored_version not in reproduces:
        problems.append(f"计算规则版本：存储 {stored_version}，现为 {current_version}")
    if recomputed_fingerprint != stored_fingerprint:
        problems.append("输入指纹不符（事实或所用参数版本的取值已被改动）")


# ---------------------------------------------------------------- runs


def _enqueue(chunk_ids: list[int]) -> None:
    task = current_app.tasks[VERIFY_CHUNK_TASK]
    for chunk_id in chunk_ids:
        task.delay(chunk_id)


def verification_start(*, kinds: Iterable[str] | None = None, since: date | None = None,
                       enqueue: bool = True) -> VerificationRun:
    """Create the run and its chunks; the chunk tasks start after the commit (`enqueue=False`: the caller
    checks the chunks itself, in-process — `verification_run_here`)."""
    chosen = verifiers(kinds)
    with transaction.atomic():
        run = VerificationRun.objects.create(kinds=[v.kind for v in chosen], since=since)
        chunks = []
        for verifier in chosen:
            bounds = verifier.queryset(since).aggregate(lo=Min("id"), hi=Max("id"))
            if bounds["lo"] is None:
                continue
            for lo in range(bounds["lo"], bounds["hi"] + 1, verifier.chunk_size):
                chunks.append(VerificationChunk(run=run, kind=verifier.kind, lo_id=lo,
                                                hi_id=min(lo + verifier.chunk_size, bounds["hi"] + 1)))
        VerificationChunk.objects.bulk_create(chunks)
        run.chunks_total = len(chunks)
        run.save(update_fields=["chunks_total"])
        ids = list(run.chunks.values_list("id", flat=True))
        logger.info("decision verification started", extra={"verification_run": run.pk, "chunks": len(ids),
                                                             "kinds": run.kinds})
        if ids and enqueue:
            transaction.on_commit(lambda: _enqueue(ids))
    if not ids:
        verification_finalize(run_id=run.pk)
    run.refresh_from_db()
    return run


def verification_run_here(run: VerificationRun) -> VerificationRun:
    """Check every chunk of the run in this process, in id order (no broker, or a test)."""
    for chunk_id in run.chunks.order_by("id").values_list("id", flat=True):
        verification_chunk_check(chunk_id=chunk_id)
    run.refresh_from_db()
    return run


def verification_chunk_check(*, chunk_id: int) -> bool:
    """Check one chunk (idempotent: a done chunk is a no-op); the last chunk totals the run."""
    with transaction.atomic():
        chunk = VerificationChunk.objects.select_for_update().select_related("run").filter(pk=chunk_id).first()
        if chunk is None or chunk.done:
            return False
        verifier = VERIFIERS.get(chunk.kind)
        if verifier is None:
            outcome = ChunkOutcome(mismatches=[Mismatch(chunk.kind, "没有登记该类别的核验程序")])
        else:
            outcome = verifier.check(chunk.lo_id, chunk.hi_id, chunk.run.since)
        VerificationMismatch.objects.bulk_create([
            VerificationMismatch(run_id=chunk.run_id, kind=chunk.kind, record=m.record[:100], message=m.message[:500])
            for m in outcome.mismatches[:MAX_MISMATCH_ROWS_PER_CHUNK]])
        VerificationChunk.objects.filter(pk=chunk_id).update(
            done=True, checked=outcome.checked, mismatches=len(outcome.mismatches),
            unverifiable=outcome.unverifiable)
        run_id = chunk.run_id
    if not VerificationChunk.objects.filter(run_id=run_id, done=False).exists():
        verification_finalize(run_id=run_id)
    return True


def verification_finalize(*, run_id: int) -> VerificationRun:
    with transaction.atomic():
        run = VerificationRun.objects.select_for_update().get(pk=run_id)
        if run.status != VerificationRun.Status.RUNNING or run.chunks.filter(done=False).exists():
            return run
        by_kind = {kind: {"checked": 0, "mismatches": 0, "unverifiable": 0} for kind in run.kinds}
        for row in run.chunks.values("kind").annotate(checked=Sum("checked"), mismatches=Sum("mismatches"),
                                                      unverifiable=Sum("unverifiable")):
            by_kind[row["kind"]] = {"checked": row["checked"], "mismatches": row["mismatches"],
                                    "unverifiable": row["unverifiable"]}
        run.by_kind = by_kind
        run.checked = sum(v["checked"] for v in by_kind.values())
        run.mismatches = sum(v["mismatches"] for v in by_kind.values())
        run.unverifiable = sum(v["unverifiable"] for v in by_kind.values())
        run.status = VerificationRun.Status.FAILED if run.mismatches else VerificationRun.Status.PASSED
        run.finished_at = timezone.now()
        run.save()
    log = logger.error if run.mismatches else logger.info
    log("decision verification finished", extra={"verification_run": run.pk, "checked": run.checked,
                                                 "mismatches": run.mismatches, "unverifiable": run.unverifiable})
    return run


def last_verification() -> VerificationRun | None:
    return VerificationRun.objects.filter(~Q(status=VerificationRun.Status.RUNNING)).order_by("-id").first()


def kind_label(kind: str) -> str:
    verifier = VERIFIERS.get(kind)
    return verifier.label if verifier else kind
