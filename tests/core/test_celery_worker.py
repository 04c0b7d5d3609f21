"""A task travels through Redis to a real worker process and its result lands in the database."""

import time

import pytest

from apps.core.models import Heartbeat
from apps.core.tasks import heartbeat

pytestmark = pytest.mark.celery_worker


def test_task_runs_in_a_real_worker_and_writes_to_the_database(celery_worker_process):
    heartbeat.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Heartbeat.objects.exists():
        time.sleep(0.5)
    beat = Heartbeat.objects.get()
    assert beat.worker.startswith("test-")  # written by the worker process, not eagerly in this one


def test_eager_mode_runs_in_process(db):
    heartbeat.delay()
    assert Heartbeat.objects.get().worker == "eager" or Heartbeat.objects.count() == 1
