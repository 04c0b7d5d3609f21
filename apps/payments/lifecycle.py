"""A disbursement file's lifecycle (apps.core.lifecycle): prepared → approved → issued → returned.

Approving and issuing are a reviewer's and never the preparer's (apps.core.review, four eyes). An approval
is bound to the hash of the rows: `invalidate` is the move the service makes when the rows no longer hash to
what was approved. Every move writes a PaymentEvent (who, when, why, on which hash).
"""

from __future__ import annotations

from django.utils import timezone

from apps.core.exceptions import ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_ROLES, not_the_maker
from apps.payments.models import PaymentBatch, PaymentEvent

S = PaymentBatch.Status


def _approve(batch: PaymentBatch, user, payload: dict) -> None:
    batch.approved_by, batch.approved_at, batch.approved_sha256 = user, timezone.now(), batch.sha256


def _issue(batch: PaymentBatch, user, payload: dict) -> None:
    batch.issued_by, batch.issued_at, batch.issued_sha256 = user, timezone.now(), batch.approved_sha256


def _record(batch: PaymentBatch, transition: Transition, from_status: str, user, note: str) -> None:
    PaymentEvent.objects.create(batch=batch, action=transition.action, from_status=from_status,
                                to_status=transition.target, user=user if getattr(user, "pk", None) else None,
                                note=note[:500], sha256=batch.approved_sha256 or batch.sha256)


LIFECYCLE = Lifecycle(
    transitions=[
        Transition("approve", "审批通过", (S.PREPARED,), S.APPROVED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("prepared_by_id"),), effect=_approve, icon="check-circle",
                   confirm="审批通过后，本发放文件与其校验值绑定：此后任何明细、金额或银行账户的改动都会使审批失效。确认审批通过？"),
        Transition("issue", "发放（生成银行文件）", (S.APPROVED,), S.ISSUED, roles=REVIEWER_ROLES,
                   actor_guards=(not_the_maker("prepared_by_id"),), effect=_issue, icon="bank",
                   confirm="发放后将生成交给银行的文件，本文件不能再作废或修改，失败明细须经回盘后重新发放。确认发放？"),
        Transition("invalidate", "审批失效", (S.PREPARED, S.APPROVED), S.INVALIDATED, needs_reason=True,
                   style="warning"),
        Transition("cancel", "作废", (S.PREPARED, S.APPROVED), S.CANCELLED, needs_reason=True, style="danger",
                   icon="x-circle"),
        Transition("complete", "回盘完成", (S.ISSUED,), S.RETURNED),
    ],
    status_label=lambda status: str(S(status).label),
    record=_record,
    refusal=ConflictError,
)
# Moves the service makes itself (never offered as a button).
SYSTEM_ACTIONS = ("invalidate", "complete")
