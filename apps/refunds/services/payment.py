"""The run's side of the payment: confirming reconciliation (the files themselves are apps.payments'), and the
last move, 已告知 (notified), which the system makes once every paid employer has been told.

**When a run becomes 已告知.** A reconciled run moves to notified when every line the bank marked paid has
at least one 已发放到账 message (apps.payments' `payments.paid`) and every such message is `sent` — not when
one is pending, failed or dead, nor while a paid employer has no mobile, e-mail or portal user (it got no
message). The check runs at the moments that can complete it: when the run is reconciled (the notices
usually went out before that), after the outbox records a message of the run sent
(`apps.notifications.events.register_sent_listener`, registered in RefundsConfig.ready()), and every ten
minutes for every reconciled run (`runs_mark_notified`, the beat's `refund-notified-sweeper`) — should the
listener's own transaction fail after the message was sent, the run still moves.

Employers with no contact at all can only be told by letter or by phone: once nothing else is left, a reviewer
confirms it with the reason (`run_confirm_notified`, the lifecycle's `confirm_notified`).
"""

from __future__ import annotations

import logging

from django.db import transaction

from apps.core.exceptions import NotFoundError
from apps.core.scoping import user_can_see_region
from apps.payments.notices import PAID
from apps.payments.selectors import paid_notices
from apps.payments.sources import source_get
from apps.refunds.models import RefundRun
from apps.refunds.payment_lifecycle import LIFECYCLE, PAYMENT_SOURCE

logger = logging.getLogger(__name__)


@transaction.atomic
def run_reconcile(*, run_id: int, user, note: str = "") -> RefundRun:
    """issued → reconciled: a reviewer's, once the report balances and nothing is open. A run whose payees have
    all been told already moves on to notified in the same transaction."""
    run = RefundRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not user_can_see_region(user, run.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    LIFECYCLE.apply(run, "reconcile", user=user, note=note.strip() or "对账平衡，确认完成")
    logger.info("refund run reconciled", extra={"run": run.pk, "by": user.pk})
    _notify_if_told(run)
    return run


def _notify_if_told(run: RefundRun) -> bool:
    if run.status != RefundRun.Status.RECONCILED:
        return False
    state = paid_notices(source=source_get(PAYMENT_SOURCE), source_id=run.pk)
    if not state.complete:
        return False
    LIFECYCLE.apply(run, "notify", user=None,
                    note=f"已支付的 {state.paid} 户均已收到已发放到账通知（{state.messages} 条全部发送成功），系统自动确认")
    logger.info("refund run notified", extra={"run": run.pk, "payees": state.paid, "messages": state.messages})
    return True


@transaction.atomic
def run_mark_notified(*, run_id: int) -> bool:
    """reconciled → notified when every paid employer has been told (the system's move); False when not (yet)."""
    run = RefundRun.objects.select_for_update().filter(pk=run_id).first()
    return run is not None and _notify_if_told(run)


def runs_mark_notified() -> int:
    """The fallback sweep: every reconciled run checked again (each under its own lock); returns how many moved."""
    ids = RefundRun.objects.filter(status=RefundRun.Status.RECONCILED, is_official=True).values_list("pk", flat=True)
    return sum(1 for run_id in list(ids) if run_mark_notified(run_id=run_id))


@transaction.atomic
def run_confirm_notified(*, run_id: int, user, note: str = "") -> RefundRun:
    """reconciled → notified by a reviewer: every message sent, the rest without contact told by letter or phone."""
    run = RefundRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not user_can_see_region(user, run.region_id):
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    LIFECYCLE.apply(run, "confirm_notified", user=user, note=note.strip())
    logger.info("refund run notified by a reviewer", extra={"run": run.pk, "by": user.pk})
    return run


def on_message_sent(run_id: int, event: str) -> None:
    """The outbox's listener for `refund-run` messages: a payment notice sent may be the run's last one."""
    if event == PAID.code:
        run_mark_notified(run_id=run_id)
