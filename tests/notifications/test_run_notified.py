"""已告知 (notified), the last state of a refund run: reconciled, and every employer the bank paid has been told
by the 已发放到账 notice — every one of its messages sent. Not when one failed or is dead, nor when a paid
employer had no contact; reached after reconciliation as soon as the last message goes out, by the system."""

import pytest
from django.urls import reverse

from apps.notifications.models import Message
from apps.notifications.services import message_deliver
from apps.refunds.models import RefundRun, RefundRunTransition
from apps.refunds.services import run_mark_notified, run_reconcile
from tests.payments.test_payments import import_return, issued_batch

pytestmark = pytest.mark.django_db
CONTACTS = {"all": ({"contact_phone": "13800138001", "contact_email": "a@example.cn"},
                    {"contact_email": "b@example.cn"}, {"contact_phone": "13800138003"}),
            "one_without": ({"contact_phone": "13800138001"}, {"contact_email": "b@example.cn"}, {})}


def pay_everyone(run, caseworker, supervisor, contacts, capture, deliver=True):
    for employer, values in zip(run.employers, CONTACTS[contacts], strict=True):
        for name, value in values.items():
            setattr(employer, name, value)
        employer.save()
    batch = issued_batch(run, caseworker, supervisor)
    rows = [[reference, "paid", ""] for reference in batch.lines.values_list("reference", flat=True)]
    if deliver:  # the import's commit dispatches the deliveries (eager Celery here)
        with capture(execute=True):
            import_return(supervisor, rows)
    else:
        import_return(supervisor, rows)


@pytest.mark.parametrize(("sms", "contacts", "notified"), [
    ("ok", "all", True),
    ("transient", "all", False),  # one SMS failed, a retry pending: not yet told
    ("permanent", "all", False),  # one SMS dead: never told by this channel
    ("ok", "one_without", False),  # a paid employer without a mobile or e-mail got no notice at all
])
def test_a_reconciled_run_is_notified_only_when_every_paid_employer_was_told(
        approved_run, caseworker, supervisor, request, django_capture_on_commit_callbacks, sms, contacts, notified):
    if sms != "ok":  # the gateway times out (failed, a retry later) or refuses the number for good (dead)
        request.getfixturevalue("flaky_sms").permanent = sms == "permanent"
    pay_everyone(approved_run, caseworker, supervisor, contacts, django_capture_on_commit_callbacks)
    statuses = sorted(Message.objects.filter(event="payments.paid").values_list("channel", "status"))
    assert all(status == "sent" for channel, status in statuses if channel == "email")
    run = run_reconcile(run_id=approved_run.pk, user=supervisor)
    run.refresh_from_db()
    assert run.status == (RefundRun.Status.NOTIFIED if notified else RefundRun.Status.RECONCILED), statuses
    moves = list(RefundRunTransition.objects.filter(run=run).values_list("action", "user", "to_status"))
    if notified:
        assert moves[-2:] == [("reconcile", supervisor.pk, "reconciled"), ("notify", None, "notified")]
        note = RefundRunTransition.objects.get(run=run, action="notify").note
        assert "3 户" in note and "4 条" in note and "系统" in note
    else:
        assert moves[-1] == ("reconcile", supervisor.pk, "reconciled")
        assert run_mark_notified(run_id=run.pk) is False


def test_the_last_notice_sent_after_reconciliation_moves_the_run(approved_run, caseworker, supervisor,
                                                                 django_capture_on_commit_callbacks, client_for,
                                                                 api_for):
    pay_everyone(approved_run, caseworker, supervisor, "all", django_capture_on_commit_callbacks, deliver=False)
    run = run_reconcile(run_id=approved_run.pk, user=supervisor)  # the notices are still pending
    assert run.status == RefundRun.Status.RECONCILED
    pending = list(Message.objects.filter(event="payments.paid").order_by("pk"))
    assert len(pending) == 4
    for message in pending[:-1]:
        with django_capture_on_commit_callbacks(execute=True):
            assert message_deliver(message_id=message.pk) == "sent"
        assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.RECONCILED  # not yet everyone
    with django_capture_on_commit_callbacks(execute=True):
        assert message_deliver(message_id=pending[-1].pk) == "sent"
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.NOTIFIED
    move = RefundRunTransition.objects.get(run=run, action="notify")
    assert (move.user, move.from_status, move.actor) == (None, "reconciled", "系统")

    data = api_for(caseworker).get(f"/api/v1/refund-runs/{run.pk}/").json()
    assert (data["status"], data["status_display"]) == ("notified", "已告知")
    page = client_for(caseworker).get(reverse("refunds:detail", args=[run.pk])).content.decode()
    assert "已告知" in page and "系统 · 已对账 → 已告知" in page
    assert 'id="reconcile"' not in page  # no button for the system's move


def test_the_sweep_moves_a_run_whose_listener_never_ran(approved_run, caseworker, supervisor,
                                                        django_capture_on_commit_callbacks):
    """The outbox recorded every message sent but the listener's move was lost (its transaction failed): the
    beat's sweep moves the run, once."""
    from apps.refunds.tasks import sweep_notified

    pay_everyone(approved_run, caseworker, supervisor, "all", django_capture_on_commit_callbacks, deliver=False)
    run = run_reconcile(run_id=approved_run.pk, user=supervisor)
    assert run.status == RefundRun.Status.RECONCILED
    assert sweep_notified() == 0  # nothing sent yet: nothing moves
    Message.objects.filter(event="payments.paid").update(status="sent")  # as if sent, the listener never called
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.RECONCILED
    assert sweep_notified() == 1
    assert sweep_notified() == 0  # idempotent
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.NOTIFIED
    assert RefundRunTransition.objects.filter(run=run, action="notify", user=None).count() == 1


def test_the_beat_runs_the_sweep():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["refund-notified-sweeper"]["task"] == "apps.refunds.tasks.sweep_notified"


@pytest.mark.parametrize(("sms", "contacts", "comment", "status", "code"), [
    ("ok", "one_without", "已于12月1日书面告知无联系方式单位", 200, None),
    ("ok", "one_without", "", 400, "comment_required"),  # how the unit was told is the record
    ("transient", "all", "已电话告知", 409, "notices_not_sent"),  # the outbox still has work: not the reviewer's
    ("permanent", "one_without", "已书面告知", 409, "notices_not_sent"),  # a dead message: not confirmed over it
])
def test_a_reviewer_confirms_the_units_without_contact_were_told(
        approved_run, caseworker, supervisor, request, django_capture_on_commit_callbacks, api_for,
        sms, contacts, comment, status, code):
    if sms != "ok":
        request.getfixturevalue("flaky_sms").permanent = sms == "permanent"
    pay_everyone(approved_run, caseworker, supervisor, contacts, django_capture_on_commit_callbacks)
    run = run_reconcile(run_id=approved_run.pk, user=supervisor)
    assert run.status == RefundRun.Status.RECONCILED
    response = api_for(supervisor).post(f"/api/v1/refund-runs/{run.pk}/confirm-notified/", {"comment": comment},
                                        format="json")
    assert response.status_code == status, response.content
    run.refresh_from_db()
    if code is None:
        assert run.status == RefundRun.Status.NOTIFIED
        move = RefundRunTransition.objects.get(run=run, action="confirm_notified")
        assert (move.user_id, move.from_status, move.note) == (supervisor.pk, "reconciled", comment)
    else:
        assert response.json()["code"] == code
        assert run.status == RefundRun.Status.RECONCILED


def test_only_a_reviewer_gets_the_button_and_the_move(approved_run, caseworker, supervisor, client_for,
                                                      django_capture_on_commit_callbacks):
    pay_everyone(approved_run, caseworker, supervisor, "one_without", django_capture_on_commit_callbacks)
    run = run_reconcile(run_id=approved_run.pk, user=supervisor)
    url = reverse("refunds:confirm-notified", args=[run.pk])
    page = client_for(supervisor).get(reverse("refunds:detail", args=[run.pk])).content.decode()
    assert f'action="{url}"' in page and 'id="confirmnotified"' in page and "确认已告知" in page
    assert 'id="confirmnotified"' not in client_for(caseworker).get(
        reverse("refunds:detail", args=[run.pk])).content.decode()
    assert client_for(caseworker).post(url, {"comment": "已书面告知"}).status_code == 403
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.RECONCILED
    response = client_for(supervisor).post(url, {"comment": "已书面告知"})
    assert response.status_code == 302
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.NOTIFIED
