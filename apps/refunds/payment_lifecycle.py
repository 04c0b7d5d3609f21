"""A refund run after approval: the money goes out (issued), comes back reconciled, and every payee has been
told (notified) — apps.core.lifecycle.

The payment itself — files, hashes, the bank's return, re-issues, supplementary files — is the payment
service's (apps.payments); this table is the run's side of it. `issue` is made by the payment service when a
run's first disbursement file is issued; `reconcile` is a reviewer's, allowed only when the reconciliation
report balances, nothing is left open and no row is held by an objection or waits for a supplementary file;
`notify` is the system's (apps.refunds.services.payment.run_mark_notified), once every paid employer's
已发放到账 notice is sent. `confirm_notified` is a reviewer's, with the reason, for the one case the system
cannot close: every message that went out is sent, and the employers still untold are those with no mobile,
e-mail or portal user — told by letter or by phone, which the reason records. Every move writes a
RefundRunTransition (who — empty for the system —, when, why).
"""

from __future__ import annotations

from apps.core.exceptions import ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES
from apps.objections.selectors import open_holds
from apps.payments.selectors import paid_notices, source_report, supplement_due
from apps.payments.sources import source_get
from apps.refunds.models import RUN_SLUG, RefundRun, RefundRunTransition

S = RefundRun.Status
PAYMENT_SOURCE = "refunds.run"


def _settled(run: RefundRun, user, payload: dict) -> str | None:
    report = source_report(user=user, source_key=PAYMENT_SOURCE, source_id=run.pk)
    if not report["balanced"]:
        return "对账不平衡，不能确认对账完成"
    if not report["settled"]:
        return "仍有待回盘、待处理的失败明细或未发放的发放文件，不能确认对账完成"
    return None


def _nothing_owed(run: RefundRun, user, payload: dict) -> str | None:
    """Every row is decided and paid for: none held by an open objection, none waiting for a supplementary file."""
    held = open_holds(RUN_SLUG, run.pk)
    if held:
        return f"仍有 {len(held)} 户因异议未办结暂缓发放，异议办结并补充发放后才能确认对账完成"
    due = supplement_due(source=source_get(PAYMENT_SOURCE), source_id=run.pk)
    if due:
        return f"仍有 {len(due)} 户待补充发放，补充发放文件发放并回盘后才能确认对账完成"
    return None


def _all_told(run: RefundRun, user, payload: dict) -> str | None:
    state = paid_notices(source=source_get(PAYMENT_SOURCE), source_id=run.pk)
    if state.complete:
        return None
    return (f"已支付 {state.paid} 户，已全部告知 {state.notified} 户（{state.unsent} 条通知未发送成功，"
            f"{state.without_contact} 户无联系方式）")


def _only_untold_without_contact(run: RefundRun, user, payload: dict) -> str | None:
    """Nothing left for the outbox to do: every message sent, and each payee still untold had no contact."""
    state = paid_notices(source=source_get(PAYMENT_SOURCE), source_id=run.pk)
    if state.paid and not state.unsent and state.notified + state.without_contact == state.paid:
        return None
    return (f"仍有 {state.unsent} 条已发放到账通知未发送成功，发送成功（或确认失败后改为书面告知）后才能确认告知完成"
            if state.unsent else "没有已支付的单位，无需确认告知")


def _record(run: RefundRun, transition: Transition, from_status: str, user, note: str) -> None:
    RefundRunTransition.objects.create(run=run, action=transition.action, from_status=from_status,
                                       to_status=transition.target, user=user, note=note[:500])


LIFECYCLE = Lifecycle(
    transitions=[
        Transition("issue", "发放", (S.APPROVED, S.EXPORTED), S.ISSUED, roles=REVIEWER_ROLES),
        Transition("reconcile", "确认对账完成", (S.ISSUED,), S.RECONCILED, roles=REVIEWER_ROLES,
                   guards=(_settled, _nothing_owed), guard_code="reconciliation_open", icon="check2-all"),
        # The system's move (no role, no button): the last 已发放到账 notice of a reconciled run was sent.
        Transition("notify", "告知完成", (S.RECONCILED,), S.NOTIFIED, guards=(_all_told,),
                   guard_code="notices_not_sent"),
        # A reviewer's, with how the units without any contact were told (书面/电话告知).
        Transition("confirm_notified", "确认已告知", (S.RECONCILED,), S.NOTIFIED, roles=REVIEWER_ROLES,
                   guards=(_only_untold_without_contact,), guard_code="notices_not_sent", needs_reason=True,
                   icon="envelope-check",
                   confirm="无联系方式的单位已通过书面或电话告知？确认后批次标记为“已告知”，请在说明中写明告知方式。"),
    ],
    status_label=lambda status: str(S(status).label),
    record=_record,
    reason_code="comment_required",
    reason_field="comment",
    refusal=ConflictError,
)
# Moves the system makes itself (never offered as a button).
SYSTEM_ACTIONS = ("issue", "notify")
