"""The objection service's notification event (registered in ObjectionsConfig.ready()): 异议处理结果 for any
source whose `on_decided` tells the objector through it (childcare and training claims; the refund run keeps its
own wording, apps.refunds.notices_out). One message per objection, whatever calls it twice."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from apps.notifications.events import Event, Recipient
from apps.notifications.services import enqueue

DECIDED = Event(code="objections.decided", label="异议处理结果", channels=("sms", "email"), variables={
    "purpose": ("异议事项", "2026年普惠托育服务补助"),
    "outcome": ("处理结果", "异议成立"),
    "reason": ("处理说明", "经核实，在托人月数应为 96"),
    "amount": ("处理后的金额（元）", "12000.00"),
    "decided_at": ("处理日期", "2026-12-05"),
})


def notify_decided(objection, *, recipient: Recipient | None, purpose: str, amount: Decimal,
                   ref: tuple[str, int]) -> int:
    """异议处理结果 to the objector, in the decision's transaction: the outcome as the objector reads it, the
    reasons and the amount after the decision (the recomputed one when upheld)."""
    if recipient is None:
        return 0
    decided_at = timezone.localtime(objection.decided_at or timezone.now())
    return enqueue(DECIDED.code, [recipient],
                   {"purpose": purpose, "outcome": objection.get_status_display(), "reason": objection.decision_reasons,
                    "amount": f"{amount:.2f}", "decided_at": f"{decided_at:%Y-%m-%d}"},
                   dedupe_key=f"objection:{objection.pk}:decided", ref=ref)
