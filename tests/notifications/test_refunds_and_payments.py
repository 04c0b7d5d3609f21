"""稳岗返还's notices: 名单公示 to every eligible employer with a mobile or an e-mail, 异议处理结果 from plain values,
and 已发放到账 end to end — the bank's return imported, the paid line's payee notified in the import's transaction."""

from decimal import Decimal

import pytest
from django.core import mail

from apps.notifications.models import Message
from apps.notifications.selectors import message_counts
from apps.notifications.services import message_deliver
from apps.refunds.notices_out import notify_objection_decided, notify_run_published
from tests.factories import EmployerFactory
from tests.notifications.conftest import deliveries
from tests.payments.conftest import add_result
from tests.payments.test_payments import import_return, issued_batch

pytestmark = pytest.mark.django_db


def _contacts(run):
    first, second, third = run.employers
    first.contact_phone, first.contact_email = "13800138001", "caiwu@example.cn"
    second.contact_phone = "0431-88888888"  # a landline: no SMS, and no e-mail either
    third.contact_email = "third@example.cn"
    for employer in run.employers:
        employer.save()
    return first, second, third


def test_run_published_notifies_each_eligible_employer_once(approved_run, caseworker):
    first, _second, third = _contacts(approved_run)
    ineligible = EmployerFactory(region_id="220102", contact_phone="13800138009")
    add_result(approved_run, ineligible, Decimal("0"), eligible=False)
    assert notify_run_published(approved_run, publicity_end="2026-12-08", enquiry_phone="0431-88880000") == 3
    assert notify_run_published(approved_run) == 0  # published twice: nothing new
    sent = sorted(Message.objects.values_list("recipient_address", "channel"))
    assert sent == [("13800138001", "sms"), ("caiwu@example.cn", "email"), ("third@example.cn", "email")]
    sms = Message.objects.get(channel="sms")
    assert first.name in sms.body and "7200.00" in sms.body and "2026-12-08" in sms.body and "2025" in sms.body
    counts = message_counts(user=caseworker, source="refund-run", source_id=approved_run.pk)
    assert counts == {"refunds.run_published": {"pending": 3, "total": 3}}


def test_objection_decided_from_plain_values(approved_run, other_caseworker, caseworker):
    first, *_ = _contacts(approved_run)
    assert notify_objection_decided(objection_id=5, run_id=approved_run.pk, employer_id=first.pk,
                                    outcome="异议成立，已更正认定结果", reason="补录缴费记录后符合条件",
                                    amount=Decimal("3600.5")) == 2
    assert notify_objection_decided(objection_id=5, run_id=approved_run.pk, employer_id=first.pk,
                                    outcome="异议成立") == 0
    email = Message.objects.get(channel="email")
    assert email.subject == "2025年度稳岗返还异议处理结果" and "3600.50" in email.body
    message_deliver(message_id=email.pk)
    assert mail.outbox[-1].to == ["caiwu@example.cn"] and "异议成立" in mail.outbox[-1].body
    assert message_counts(user=other_caseworker, source="refund-run", source_id=approved_run.pk,
                          region_code=approved_run.region_id) == {}
    assert message_counts(user=caseworker, source="refund-run", source_id=approved_run.pk)[
        "refunds.objection_decided"] == {"sent": 1, "pending": 1, "total": 2}


def test_the_bank_return_notifies_the_paid_payees(approved_run, caseworker, supervisor, sms_file,
                                                  django_capture_on_commit_callbacks):
    first, second, third = _contacts(approved_run)
    batch = issued_batch(approved_run, caseworker, supervisor)
    lines = {line.row_key: line for line in batch.lines.all()}
    rows = [[lines[str(first.pk)].reference, "paid", ""], [lines[str(second.pk)].reference, "failed", "户名不符"],
            [lines[str(third.pk)].reference, "成功", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        imported = import_return(supervisor, rows)
    assert imported.status == "succeeded", list(imported.issues.values_list("message", flat=True))
    messages = {(m.recipient_address, m.channel): m for m in Message.objects.filter(event="payments.paid")}
    assert set(messages) == {("13800138001", "sms"), ("caiwu@example.cn", "email"), ("third@example.cn", "email")}
    assert all(m.status == "sent" for m in messages.values())  # delivered after the import's commit (eager)
    [sms] = deliveries(sms_file)
    assert "7200.00" in sms["text"] and lines[str(first.pk)].reference in sms["text"]
    assert {email.to[0] for email in mail.outbox} == {"caiwu@example.cn", "third@example.cn"}
    assert {m.source for m in messages.values()} == {"refund-run"}
    # the same file again: nothing changes, nobody is told twice
    with django_capture_on_commit_callbacks(execute=True):
        import_return(supervisor, rows)
    assert Message.objects.filter(event="payments.paid").count() == 3 and len(deliveries(sms_file)) == 1
    counts = message_counts(user=caseworker, source="refund-run", source_id=approved_run.pk)
    assert counts["payments.paid"] == {"sent": 3, "total": 3}


def test_a_bank_return_that_fails_enqueues_nothing(approved_run, caseworker, supervisor):
    first, *_ = _contacts(approved_run)
    batch = issued_batch(approved_run, caseworker, supervisor)
    line = batch.lines.get(row_key=str(first.pk))
    imported = import_return(supervisor, [[line.reference, "paid", ""], ["P999999-00001", "paid", ""]])
    assert imported.status != "succeeded"
    assert not Message.objects.exists()
