"""A real worker on Redis is SIGKILLed while it delivers; a new worker and the sweeper finish the job, and every
message is delivered exactly once (the SMS file gateway writes down every hand-over; a key it has seen before
is a duplicate it does not send again, as an operator's gateway does with its client serial number)."""

import json
import os
import signal
import time

import pytest
from django.db import transaction

from apps.notifications.models import Message
from apps.notifications.services import enqueue, messages_sweep
from apps.payments.notices import PAID
from tests.notifications.conftest import PAID_CONTEXT, paid_context, payee

pytestmark = pytest.mark.celery_worker
MESSAGES = 30


def _wait(predicate, seconds=90, sweep=False, interval=0.05):
    deadline, swept = time.monotonic() + seconds, 0.0
    while time.monotonic() < deadline:
        if predicate():
            return True
        if sweep and time.monotonic() - swept >= 1:  # the beat's sweeper, once a second instead of a minute
            messages_sweep()
            swept = time.monotonic()
        time.sleep(interval)
    return False


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.fixture(autouse=True)
def sms_path(tmp_path, monkeypatch):
    """Set before the worker starts (autouse fixtures come first): the worker reads its settings from these."""
    path = tmp_path / "sms.jsonl"
    monkeypatch.setenv("NOTIFICATION_SMS_FILE", str(path))
    monkeypatch.setenv("NOTIFICATION_SMS_DELAY_SECONDS", "0.4")  # the kill lands inside a delivery
    monkeypatch.setenv("NOTIFICATION_LEASE_SECONDS", "3")
    return path


def test_sigkill_mid_delivery_then_a_new_worker_delivers_every_message_once(settings, sms_path,
                                                                             celery_worker_process):
    path, worker = sms_path, celery_worker_process
    settings.NOTIFICATION_LEASE_SECONDS = 3
    with transaction.atomic():
        enqueue(PAID.code, [payee(i, context=paid_context()) for i in range(MESSAGES)], PAID_CONTEXT,
                dedupe_key="worker-kill")
    assert _wait(lambda: Message.objects.filter(status="sent").exists()), (
        "nothing was delivered", list(Message.objects.values_list("status", "attempts", "last_error")[:5]))
    assert _wait(lambda: Message.objects.filter(status="sending").exists(), interval=0.01), "nothing in flight"
    worker.kill_tree(signal.SIGKILL)
    in_flight = Message.objects.filter(status="sending").count()
    assert Message.objects.exclude(status="sent").count() > 0, "everything was delivered before the kill"
    worker.start(concurrency=2)
    # The dead worker's messages stay unacknowledged in Redis; the sweeper hands them (and the one whose claim
    # the kill left behind) to the new worker once the lease is over.
    assert _wait(lambda: Message.objects.filter(status="sent").count() == MESSAGES, seconds=180, sweep=True), (
        list(Message.objects.exclude(status="sent").values_list("status", "attempts", "last_error")))
    accepted = [line["key"] for line in _lines(path) if not line["duplicate"]]
    assert sorted(accepted) == sorted(Message.objects.values_list("dedupe_key", flat=True))  # each exactly once
    assert len(set(accepted)) == MESSAGES
    assert in_flight == 0 or Message.objects.filter(attempts__gt=1).exists()  # the interrupted one was redone
    assert os.path.exists(path)
