"""The outbound push: written with the registration, delivered on commit by the file or the signed webhook
backend, retried with backoff, abandoned after the maximum, swept, sent again by an operator."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.logging import JsonFormatter
from apps.integrations.backends import FileBackend, body_bytes, sign, verify
from apps.integrations.models import OutboundMessage, mask_payload
from apps.integrations.services import OUTBOX, outbound_deliver, outbound_resend, outbound_sweep
from apps.training.models import Occupation
from apps.training.services import willingness_register
from tests.factories import PersonFactory
from tests.integrations.conftest import SECRET
from tests.training.conftest import occupations  # noqa: F401 — the catalogue, as a fixture here

S = OutboundMessage.Status


@pytest.fixture
def occupation(occupations):  # noqa: F811
    return Occupation.objects.filter(is_active=True).order_by("code").first()


def register(occupation, person=None):
    person = person or PersonFactory(region_id="220102")
    return willingness_register(person=person, occupation=occupation, target_group="migrant_worker")


def test_a_rolled_back_registration_leaves_no_message(occupation, outbound_dir):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(occupation)
        assert OutboundMessage.objects.count() == 1
        raise RuntimeError("the caseworker's write fails after the push was queued")
    assert OutboundMessage.objects.count() == 0


def test_the_file_backend_writes_one_json_line_per_message_atomically_and_once(
        occupation, outbound_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = register(occupation)
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts, message.kind, message.source_id) == (S.SENT, 1, "training.willingness",
                                                                                   item.pk)
    assert message.delivered_at is not None and message.get_status_display() == "已发送"
    target = outbound_dir / "job_matching" / f"{message.message_id}.json"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    body = json.loads(lines[0])
    assert body["message_id"] == str(message.message_id)
    assert body["payload"]["id_number"] == item.person.id_number  # the platform matches on it
    assert body["payload"]["occupation_code"] == occupation.code
    before = target.stat().st_mtime_ns
    FileBackend().send(message)  # a retry after a lost "sent": not written again
    assert target.stat().st_mtime_ns == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left behind


def test_the_webhook_is_signed_and_carries_the_message_id(occupation, receiver, django_capture_on_commit_callbacks):
    server = receiver([200])
    with django_capture_on_commit_callbacks(execute=True):
        register(occupation)
    message = OutboundMessage.objects.get()
    assert message.status == S.SENT
    [request] = server.requests
    assert request["signature_ok"] and request["message_id"] == str(message.message_id)
    assert request["raw"] == body_bytes(message)  # the same bytes at every attempt
    # the scheme docs/integrations.md gives the platform, computed here without the portal's code
    expected = hmac.new(SECRET.encode(), request["timestamp"].encode() + b"." + request["raw"], hashlib.sha256)
    assert request["signature"] == "sha256=" + expected.hexdigest()
    assert abs(int(request["timestamp"]) - time.time()) < 60


def test_a_wrong_secret_is_refused_for_good(occupation, receiver, settings, django_capture_on_commit_callbacks):
    receiver([200], secret="the platform has another secret")
    with django_capture_on_commit_callbacks(execute=True):
        register(occupation)
    message = OutboundMessage.objects.get()
    assert (message.status, message.attempts) == (S.DEAD, 1)  # 401: no retry mends a wrong secret
    assert "HTTP 401" in message.last_error


def test_signature_check_refuses_a_changed_body_and_a_stale_timestamp():
    body, now = b'{"a":1}', 1_800_000_000
    signature = sign(body, str(now), "k")
    assert verify(body, str(now), signature, "k", now=now)
    assert not verify(b'{"a":2}', str(now), signature, "k", now=now)
    assert not verify(body, str(now), signature, "k", now=now + 301)
    assert not verify(body, "not a number", signature, "k", now=now)


def test_a_failing_receiver_is_retried_with_backoff_then_delivered(occupation, receiver, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.INTEGRATION_RETRY_BASE_SECONDS = 60
    server = receiver([500, 200])
    with django_capture_on_commit_callbacks(execute=False):  # deliver by hand, at chosen times
        register(occupation)
    start = timezone.now()
    message = OutboundMessage.objects.get()
    assert outbound_deliver(message_id=message.pk, now=start) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.get_status_display()) == (S.FAILED, 1, "失败")
    assert message.next_attempt_at == start + timedelta(seconds=60)
    assert "HTTP 500" in message.last_error
    assert outbound_deliver(message_id=message.pk, now=start + timedelta(seconds=59)) == "skipped"  # not due yet
    assert outbound_deliver(message_id=message.pk, now=start + timedelta(seconds=61)) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (S.SENT, 2, "")
    assert [r["message_id"] for r in server.requests] == [str(message.message_id)] * 2  # the receiver dedupes
    assert outbound_deliver(message_id=message.pk) == "skipped"  # delivered: never again


def test_gives_up_after_the_maximum_attempts(occupation, receiver, settings, django_capture_on_commit_callbacks):
    settings.INTEGRATION_MAX_ATTEMPTS = 3
    server = receiver([503])
    with django_capture_on_commit_callbacks(execute=False):
        register(occupation)
    message = OutboundMessage.objects.get()
    when = timezone.now()
    outcomes = []
    for _ in range(4):
        outcomes.append(outbound_deliver(message_id=message.pk, now=when))
        when += timedelta(days=1)
    assert outcomes == ["failed", "failed", "dead", "skipped"]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (S.DEAD, 3, None)
    assert message.get_status_display() == "放弃"
    assert len(server.requests) == 3


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600), (20, 3600)])
def test_backoff_doubles_up_to_the_cap(settings, attempts, seconds):
    settings.INTEGRATION_RETRY_BASE_SECONDS, settings.INTEGRATION_RETRY_MAX_SECONDS = 60, 3600
    assert OUTBOX.retry_delay(attempts) == timedelta(seconds=seconds)


def test_the_sweeper_picks_up_due_messages_whose_task_was_lost(occupation, outbound_dir,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the on-commit dispatch is lost
        register(occupation)
    message = OutboundMessage.objects.get()
    assert outbound_sweep() == 0  # due, but not for longer than the lease: its task may still be queued
    later = timezone.now() + timedelta(seconds=OUTBOX.lease().total_seconds() + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_sweep(now=later) == 1
    message.refresh_from_db()
    assert message.status == S.SENT


def test_resend_is_scoped_refused_unless_failed_and_kept_in_the_history(
        occupation, receiver, caseworker, other_caseworker, django_capture_on_commit_callbacks):
    receiver([404])  # refused for good: 放弃 at once
    with django_capture_on_commit_callbacks(execute=True):
        register(occupation)
    message = OutboundMessage.objects.get()
    assert message.status == S.DEAD
    with pytest.raises(NotFoundError):
        outbound_resend(user=other_caseworker, message_id=message.pk)
    receiver([200])
    with django_capture_on_commit_callbacks(execute=True):
        outbound_resend(user=caseworker, message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.SENT, 1)
    assert message.history.filter(history_user=caseworker, status=S.PENDING).exists()
    with pytest.raises(ApplicationError) as refused:
        outbound_resend(user=caseworker, message_id=message.pk)
    assert refused.value.code == "outbound_not_failed"


def test_no_id_number_in_clear_in_the_logs(occupation, receiver, caplog, django_capture_on_commit_callbacks):
    receiver([500, 200])
    person = PersonFactory(region_id="220102")
    with caplog.at_level(logging.DEBUG):
        with django_capture_on_commit_callbacks(execute=True):
            register(occupation, person=person)
        message = OutboundMessage.objects.get()
        outbound_deliver(message_id=message.pk, now=timezone.now() + timedelta(hours=2))
    assert OutboundMessage.objects.get().status == S.SENT
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert any("outbound message" in line for line in lines)
    assert not [line for line in lines if person.id_number in line]


def test_pages_and_the_api_see_the_payload_masked():
    masked = mask_payload({"id_number": "220102199005170012", "nested": [{"id_number": "220102199005170012"}]})
    assert masked == {"id_number": "2201**********0012", "nested": [{"id_number": "2201**********0012"}]}
