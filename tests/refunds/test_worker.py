"""A real worker on Redis is SIGKILLed mid-run; the run still completes with one row per employer and the
same totals as an undisturbed computation."""

import os
import signal
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.refunds.models import RefundChunk, RefundResult, RefundRun
from apps.refunds.services import chunks_sweep, compute_rows, run_start
from tests.factories import UserFactory

pytestmark = pytest.mark.celery_worker
EMPLOYERS = 12000
CHUNK = 600  # 20 chunks of ~0.3 s: a worker observed "running" is almost surely inside a chunk


def _expected_totals(run):
    rows = list(compute_rows(run, id_range=(0, 10**15)))
    eligible = [row for row in rows if row[15]]
    return len(rows), len(eligible), sum((row[18] for row in eligible), Decimal(0))


def _wait(predicate, seconds=90, sweep=False, interval=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if sweep:
            chunks_sweep(stale_after=2)
        time.sleep(interval)
    return False


def _start(worker):
    call_command("seed_benchmark", "--employers", str(EMPLOYERS), "--months", "24", stdout=StringIO())
    user = UserFactory(username="worker_test", role="administrator", region_id="220000")
    run = run_start(user=user, year=2025, region_code="220000", chunk_size=CHUNK)
    assert _wait(lambda: RefundChunk.objects.filter(run=run, status="done").exists()), "no chunk finished"
    return run


def _assert_complete(run):
    run.refresh_from_db()
    assert run.status == RefundRun.Status.COMPUTED, run.failure
    rows, eligible, amount = _expected_totals(run)
    assert RefundResult.objects.filter(run=run).count() == rows == EMPLOYERS == run.rows_written
    assert (run.eligible_count, run.total_amount) == (eligible, amount)


def _busy_pool_process(worker, run):
    """(chunk id, pid) of a chunk being computed right now by one of the worker's pool processes."""
    found = []

    def probe():
        pools = set(worker.children())
        for chunk_id, taken_by in RefundChunk.objects.filter(run=run, status="running").values_list("id", "worker"):
            pid = int(taken_by.rsplit(":", 1)[1]) if taken_by else None
            if pid in pools:
                found.append((chunk_id, pid))
                return True
        return False

    # Polled often: on a quiet machine a chunk runs for a fraction of a second, and a probe every 0.2 s once
    # missed every one of them (CI, 2026-12-01) — the run then finished before the kill could be aimed.
    assert _wait(probe, interval=0.02), "no chunk seen running"
    return found[0]


def test_sigkill_of_the_pool_process_redelivers_the_chunk(celery_worker_process):
    worker = celery_worker_process
    run = _start(worker)
    chunk_id, pid = _busy_pool_process(worker, run)
    os.kill(pid, signal.SIGKILL)
    killed_at = timezone.now()
    # acks_late + reject_on_worker_lost: the broker hands the lost chunk out again; no sweeper needed.
    assert _wait(lambda: RefundRun.objects.get(pk=run.pk).status != "computing", seconds=120)
    _assert_complete(run)
    chunk = RefundChunk.objects.get(pk=chunk_id)
    # redone — unless the signal landed just after the chunk had committed
    assert chunk.attempts > 1 or chunk.finished_at <= killed_at


def test_sigkill_of_the_whole_worker_then_a_new_worker_and_the_sweeper_finish_the_run(celery_worker_process):
    worker = celery_worker_process
    run = _start(worker)
    chunk_id, _pid = _busy_pool_process(worker, run)
    worker.kill_tree(signal.SIGKILL)
    killed_at = timezone.now()
    open_chunks = RefundChunk.objects.filter(run=run).exclude(status="done").count()
    assert open_chunks > 0, "the run finished before the kill; make the data set bigger"
    worker.start(concurrency=2)
    # Messages the dead worker held stay unacknowledged in Redis; the sweeper re-enqueues its chunks.
    assert _wait(lambda: RefundRun.objects.get(pk=run.pk).status != "computing", seconds=180, sweep=True)
    _assert_complete(run)
    chunk = RefundChunk.objects.get(pk=chunk_id)
    # The chunk seen running was redone — unless it committed between the probe and the kill (CI, 2026-12-03:
    # under load no chunk was redone, the one seen had finished first), as in the pool-process test above.
    assert chunk.attempts > 1 or chunk.finished_at <= killed_at
