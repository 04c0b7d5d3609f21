"""Workers on several machines share nothing but PostgreSQL and Redis (issue 17, "Past one machine").

Two worker processes, each in its own UTS namespace with its own host name (host-a, host-b) and its own
temporary directory, take one refund run's chunks from the same Redis queue. The run completes with one row
per employer and the totals of an undisturbed computation; the chunks say which machine computed them, and
both machines did some of the work.
"""

import time
from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.models import Heartbeat
from apps.core.tasks import heartbeat
from apps.refunds.models import RefundChunk, RefundResult, RefundRun
from apps.refunds.services import run_start
from tests.factories import UserFactory
from tests.refunds.test_worker import _expected_totals

pytestmark = pytest.mark.celery_worker
EMPLOYERS = 6000
CHUNK = 300  # 20 chunks: with prefetch of one each, both workers are handed some


def _wait(predicate, seconds=120, each=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if each:
            each()
        time.sleep(0.2)
    return False


def _beating_hosts() -> set[str]:
    return {name.split("@", 1)[1] for name in Heartbeat.objects.values_list("worker", flat=True)}


def test_a_run_is_shared_by_workers_on_two_hosts(workers_on_two_hosts):
    # Both are up (and say their own host name) before the run starts, or one could take every chunk.
    assert _wait(lambda: _beating_hosts() == {"host-a", "host-b"}, each=heartbeat.delay), _beating_hosts()

    call_command("seed_benchmark", "--employers", str(EMPLOYERS), "--months", "24", stdout=StringIO())
    user = UserFactory(username="two_hosts", role="administrator", region_id="220000")
    run = run_start(user=user, year=2025, region_code="220000", chunk_size=CHUNK)
    assert _wait(lambda: RefundRun.objects.get(pk=run.pk).status
                 not in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING)), "run unfinished"

    run.refresh_from_db()
    assert run.status == RefundRun.Status.COMPUTED, run.failure
    rows, eligible, amount = _expected_totals(run)
    assert RefundResult.objects.filter(run=run).count() == rows == EMPLOYERS == run.rows_written
    assert (run.eligible_count, run.total_amount) == (eligible, amount)
    hosts = {taken_by.rsplit(":", 1)[0] for taken_by in RefundChunk.objects.filter(run=run).values_list("worker", flat=True)}
    assert hosts == {"host-a", "host-b"}
