"""The outbox: a message commits with the business change or not at all, the same occurrence is enqueued once,
failures back off and die after the configured number of attempts, a claim holds for its lease."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.employers.models import Employer
from apps.notifications.models import Message
from apps.notifications.services import (
    enqueue,
    message_claim,
    message_deliver,
    message_retry,
    messages_sweep,
    retry_delay,
)
from tests.factories import EmployerFactory
from tests.notifications.conftest import PAID_CONTEXT, deliveries, paid_context, payee

pytestmark = pytest.mark.django_db
PAID = "payments.paid"


def _enqueue(n=1, key="batch:1:paid", **kwargs):
    recipients = [payee(i, context=paid_context()) for i in range(1, n + 1)]
    return enqueue(PAID, recipients, PAID_CONTEXT, dedupe_key=key, ref=("refund-run", 7), **kwargs)


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(sms_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            EmployerFactory(region_id="220102")
            _enqueue()
            raise RuntimeError("the business change fails after the enqueue")
    assert not Message.objects.exists() and not Employer.objects.exists()
    assert callbacks == [] and deliveries(sms_file) == []


def test_a_committed_change_sends_after_the_commit(sms_file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _enqueue()
        assert Message.objects.get().status == "pending"
        assert deliveries(sms_file) == []  # nothing leaves before the commit
    # the dispatch; the delivery it ran then adds the record's "sent" listeners (apps.notifications.events)
    assert len(callbacks) == 2
    message = Message.objects.get()
    assert (message.status, message.attempts, message.channel) == ("sent", 1, "sms")
    [sent] = deliveries(sms_file)
    assert sent["key"] == message.dedupe_key and sent["phone"] == "13800130001"
    assert "长春测试1有限公司" in sent["text"] and "3600.00" in sent["text"] and "P000001-00001" in sent["text"]
    assert (message.source, message.source_id, message.region_id) == ("refund-run", 7, "220102")


def test_the_same_occurrence_is_enqueued_once():
    assert _enqueue(n=2) == 2
    assert _enqueue(n=3) == 1  # recipient 3 is new; 1 and 2 already have theirs
    assert _enqueue(n=3, key="batch:2:paid") == 3  # another occurrence
    assert Message.objects.count() == 6
    assert Message.objects.filter(dedupe_key__startswith="batch:1:paid").count() == 3


def test_channels_follow_the_addresses_and_a_landline_gets_no_sms(caseworker):
    enqueue(PAID, [payee(1, email="cw@example.cn", user_id=caseworker.pk, context=paid_context()),
                   payee(2, phone="0431-88888888", context=paid_context())], PAID_CONTEXT, dedupe_key="k")
    channels = sorted(Message.objects.values_list("recipient_name", "channel"))
    assert channels == [("长春测试1有限公司", "email"), ("长春测试1有限公司", "inbox"), ("长春测试1有限公司", "sms")]


def test_an_unknown_event_is_refused():
    with pytest.raises(ApplicationError) as error:
        enqueue("nobody.registered", [payee()], {}, dedupe_key="x")
    assert error.value.code == "unknown_notification_event"


def test_a_template_that_does_not_render_gives_a_dead_message_not_a_failed_change():
    from apps.notifications.models import MessageTemplate

    MessageTemplate.objects.filter(event=PAID, channel="sms").update(body="{{ amount|date:'Y' }}{% if %}")
    _enqueue()
    message = Message.objects.get()
    assert message.status == "dead" and "模板" in message.last_error


@pytest.mark.parametrize(("base", "cap", "attempts", "seconds"), [
    (60, 3600, 1, 60), (60, 3600, 2, 120), (60, 3600, 3, 240), (60, 3600, 6, 1920), (60, 3600, 7, 3600),
    (60, 3600, 20, 3600), (5, 10, 2, 10), (5, 10, 1, 5)])
def test_backoff_doubles_up_to_the_cap(settings, base, cap, attempts, seconds):
    settings.NOTIFICATION_RETRY_BASE_SECONDS, settings.NOTIFICATION_RETRY_MAX_SECONDS = base, cap
    assert retry_delay(attempts) == timedelta(seconds=seconds)


@pytest.mark.parametrize("max_attempts", [1, 3])
def test_failures_back_off_then_the_message_is_dead(settings, flaky_sms, max_attempts):
    settings.NOTIFICATION_MAX_ATTEMPTS = max_attempts
    settings.NOTIFICATION_RETRY_BASE_SECONDS, settings.NOTIFICATION_RETRY_MAX_SECONDS = 60, 3600
    _enqueue()
    message = Message.objects.get()
    now = timezone.now()
    for attempt in range(1, max_attempts + 1):
        assert message_deliver(message_id=message.pk, now=now) == ("dead" if attempt == max_attempts else "failed")
        message.refresh_from_db()
        assert message.attempts == attempt and "短信网关超时" in message.last_error
        if attempt < max_attempts:
            assert message.status == "failed"
            due = message.next_attempt_at
            assert timedelta(seconds=60 * 2 ** (attempt - 1) - 5) < due - now <= timedelta(seconds=60 * 2 ** (attempt - 1))
            assert message_deliver(message_id=message.pk, now=due - timedelta(seconds=1)) == "skipped"  # not due
            now = due
    assert message.status == "dead" and message.next_attempt_at is None
    assert flaky_sms.calls == max_attempts
    assert message_deliver(message_id=message.pk, now=now + timedelta(days=1)) == "skipped"
    assert messages_sweep(now=now + timedelta(days=1)) == 0


def test_a_permanent_failure_is_dead_at_once(flaky_sms):
    flaky_sms.permanent = True
    _enqueue()
    message = Message.objects.get()
    assert message_deliver(message_id=message.pk) == "dead"
    message.refresh_from_db()
    assert message.attempts == 1 and "号码已停机" in message.last_error


def test_a_supervisor_sends_a_dead_message_again(flaky_sms, supervisor, other_caseworker, sms_file, settings):
    flaky_sms.permanent = True
    _enqueue()
    message = Message.objects.get()
    message_deliver(message_id=message.pk)
    with pytest.raises(ApplicationError):
        message_retry(user=other_caseworker, message_id=message.pk)  # 船营区: not theirs
    settings.NOTIFICATION_CHANNELS = {**settings.NOTIFICATION_CHANNELS, "sms": "apps.notifications.channels.SmsChannel"}
    message_retry(user=supervisor, message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert message_deliver(message_id=message.pk) == "sent"


def test_a_claim_holds_for_its_lease_then_the_sweeper_hands_the_message_on(settings, sms_file):
    settings.NOTIFICATION_LEASE_SECONDS = 300
    _enqueue()
    message = Message.objects.get()
    now = timezone.now()
    assert message_claim(message_id=message.pk, now=now) is not None  # a worker took it… and died
    assert message_claim(message_id=message.pk, now=now + timedelta(seconds=299)) is None
    assert messages_sweep(now=now + timedelta(seconds=299)) == 0
    assert messages_sweep(now=now + timedelta(seconds=301)) == 1
    assert message_deliver(message_id=message.pk, now=now + timedelta(seconds=301)) == "sent"
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == "sent"
    assert message_deliver(message_id=message.pk) == "skipped"
    assert len(deliveries(sms_file)) == 1


def test_the_sweeper_dispatches_messages_overdue_by_the_lease_only(flaky_sms, settings):
    settings.NOTIFICATION_LEASE_SECONDS, settings.NOTIFICATION_RETRY_BASE_SECONDS = 300, 60
    _enqueue(n=3)
    first, second, third = Message.objects.order_by("pk")
    now = timezone.now()
    message_deliver(message_id=first.pk, now=now)  # failed, due in a minute (its retry task is scheduled)
    message_deliver(message_id=second.pk, now=now)
    Message.objects.filter(pk=second.pk).update(next_attempt_at=now - timedelta(seconds=301))  # its task was lost
    assert messages_sweep(now=now) == 1  # the third, pending since now, is still in the queue: left alone
    assert messages_sweep(now=now + timedelta(seconds=301)) == 2  # the third is overdue now too
    assert messages_sweep(now=now + timedelta(seconds=362)) == 3


def test_a_lost_lease_does_not_overwrite_the_new_claimers_outcome(sms_file):
    _enqueue()
    message = Message.objects.get()
    claimed, token = message_claim(message_id=message.pk)
    Message.objects.filter(pk=message.pk).update(claim_token="someone-else")
    from apps.notifications.services import _record_failure

    _record_failure(claimed, token, OSError("late"), permanent=False)
    message.refresh_from_db()
    assert message.status == "sending" and message.last_error == ""
