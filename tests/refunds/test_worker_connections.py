"""Lost database connections on a real worker (Redis + PostgreSQL): the backend of a chunk's COPY is
terminated (pg_terminate_backend), and every backend of the database — the worker's and `refund_run`'s own —
is terminated while the command waits. The chunk is retried at once (not after the 5-minute sweeper), and
the command reconnects and finishes with exit 0."""

import threading
import time
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from apps.refunds.models import RefundChunk, RefundRun
from apps.refunds.services import run_start
from tests.factories import UserFactory
from tests.refunds.test_worker import CHUNK, EMPLOYERS, _assert_complete, _wait

pytestmark = pytest.mark.celery_worker

# A statement-level trigger makes each COPY into the results last a second, so the test can find it running.
SLOW_COPY = """
CREATE OR REPLACE FUNCTION test_slow_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
CREATE TRIGGER test_slow_copy BEFORE INSERT ON refunds_refundresult FOR EACH STATEMENT
EXECUTE FUNCTION test_slow_copy();
"""
DROP_SLOW_COPY = "DROP TRIGGER IF EXISTS test_slow_copy ON refunds_refundresult; DROP FUNCTION IF EXISTS test_slow_copy();"


@pytest.fixture
def killer(celery_worker_process):
    """A connection of its own (autocommit) that terminates others."""
    with psycopg.connect(celery_worker_process.database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def slow_copy():
    with connection.cursor() as cursor:
        cursor.execute(SLOW_COPY)
    try:
        yield
    finally:
        connection.close()  # the test may have had its connection terminated
        with connection.cursor() as cursor:
            cursor.execute(DROP_SLOW_COPY)


def _terminate(killer, where: str) -> int:
    rows = killer.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
        f"AND pid <> pg_backend_pid() AND {where}").fetchall()
    return len(rows)


def _seed():
    call_command("seed_benchmark", "--employers", str(EMPLOYERS), "--months", "24", stdout=StringIO())


def test_a_chunk_whose_copy_was_cut_is_retried_at_once(celery_worker_process, killer, slow_copy, settings):
    settings.REFUNDS_STALE_CHUNK_SECONDS = 300  # nobody sweeps in this test: only the retry can save the chunk
    _seed()
    user = UserFactory(username="copy_cut", role="administrator", region_id="220000")
    run = run_start(user=user, year=2025, region_code="220000", chunk_size=CHUNK * 4)
    copying = "state = 'active' AND query LIKE 'COPY refunds_refundresult%%'"
    cut = []
    assert _wait(lambda: cut.append(_terminate(killer, copying)) or sum(cut) > 0, seconds=60), "no COPY seen"
    started = time.monotonic()
    assert _wait(lambda: RefundRun.objects.get(pk=run.pk).status != "computing", seconds=120), (
        "the run waits for the sweeper: " + str(list(RefundChunk.objects.filter(run=run).exclude(status="done")
                                                     .values_list("id", "status", "attempts"))))
    _assert_complete(run)
    assert RefundChunk.objects.filter(run=run, attempts__gt=1).exists()  # the cut chunk was redone
    print(f"\nCOPY cut {sum(cut)}×; run computed {time.monotonic() - started:.1f} s later, no sweeper")


def test_refund_run_reconnects_when_every_connection_is_dropped_and_finishes(celery_worker_process, killer,
                                                                            slow_copy):
    _seed()
    UserFactory(username="refund_batch", role="integration", region_id="220000")
    dropped = []

    def drop_everything():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(dropped) < 2:
            # the command is waiting on a computing run; cut the worker's and the command's connections
            if killer.execute("SELECT 1 FROM refunds_refundchunk WHERE status = 'done' LIMIT 1").fetchone():
                dropped.append(_terminate(killer, "backend_type = 'client backend'"))
                time.sleep(1.5)
            time.sleep(0.1)

    thread = threading.Thread(target=drop_everything)
    thread.start()
    out = StringIO()
    try:
        call_command("refund_run", "--year", "2025", "--chunk-size", str(CHUNK * 4), "--timeout", "150",
                     stdout=out, stderr=StringIO())
    finally:
        thread.join()
    connection.close()
    assert len(dropped) == 2 and all(dropped), dropped
    run = RefundRun.objects.get(pk=int(out.getvalue().strip().splitlines()[-1]))
    _assert_complete(run)
