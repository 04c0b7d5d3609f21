"""On PostgreSQL two workers never send the same message: a claim is SELECT … FOR UPDATE SKIP LOCKED, so while one
connection holds the row another's claim and the sweeper pass it by; and the real Celery worker delivers a
registration's push after the commit (the file backend, through Redis)."""

import json
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from apps.integrations.models import OutboundMessage
from apps.integrations.services import OUTBOX, outbound_sweep
from apps.training.pushes import WILLINGNESS

S = OutboundMessage.Status


def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (DATABASE_URL)")


def _message() -> OutboundMessage:
    """A due message whose task is not sent (outbound_enqueue's on-commit task would deliver it at once here)."""
    return OutboundMessage.objects.create(kind=WILLINGNESS.code, source="training-willingness", source_id=1,
                                          region_id="220102", payload={"name": "张三"}, next_attempt_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_one_worker_is_skipped_by_another_and_by_the_sweeper(settings):
    _postgres()
    message = _message()
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                OutboundMessage.objects.select_for_update().get(pk=message.pk)  # in the middle of its claim
                held.set()
                release.wait(20)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert held.wait(20)
        later = timezone.now() + timedelta(hours=1)
        assert OUTBOX.claim(message.pk, now=later) is None  # skipped, not waited for
        assert outbound_sweep(now=later) == 0
    finally:
        release.set()
        thread.join(20)
    assert done.is_set()
    claimed = OUTBOX.claim(message.pk, now=timezone.now() + timedelta(hours=1))
    assert claimed is not None and claimed[0].attempts == 1
    assert OutboundMessage.objects.get(pk=message.pk).status == S.SENDING


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claimers_take_the_message_once():
    _postgres()
    message = _message()
    barrier, results = threading.Barrier(2), []

    def claimer():
        try:
            barrier.wait(10)
            results.append(OUTBOX.claim(message.pk) is not None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claimer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(results) == [False, True]
    assert OutboundMessage.objects.get(pk=message.pk).attempts == 1


@pytest.fixture
def worker_outbound_dir(tmp_path, monkeypatch):
    """Set before the worker starts (fixtures listed first come first): the worker reads its settings from these."""
    path = tmp_path / "outbound"
    monkeypatch.setenv("INTEGRATION_FILE_DIR", str(path))
    monkeypatch.setenv("INTEGRATION_BACKEND", "file")
    return path


@pytest.mark.celery_worker
def test_the_real_worker_delivers_a_registration_after_the_commit(worker_outbound_dir, celery_worker_process):
    from apps.training.models import Occupation
    from apps.training.services import willingness_register
    from tests.factories import PersonFactory

    if not Occupation.objects.exists():
        from apps.training.catalogue import load_occupations

        load_occupations(Occupation)
    occupation = Occupation.objects.filter(is_active=True).first()
    with transaction.atomic():
        item = willingness_register(person=PersonFactory(region_id="220102"), occupation=occupation,
                                    target_group="migrant_worker")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not OutboundMessage.objects.filter(status=S.SENT).exists():
        time.sleep(0.2)
    message = OutboundMessage.objects.get(source_id=item.pk)
    assert message.status == S.SENT, (message.status, message.last_error)
    written = Path(worker_outbound_dir) / "job_matching" / f"{message.message_id}.json"
    assert json.loads(written.read_text(encoding="utf-8"))["payload"]["id"] == item.pk
