"""Training subsidy claims' notifications (registered in TrainingConfig.ready()), like 稳岗返还's
(apps.refunds.notices_out): the events and the functions that enqueue them.

`notify_claim_published(claim)` (公示) is called by the claim's publish move and `notify_objection_decided(...)`
(异议处理结果) by the objection source's on_decided, each inside its transaction: the message commits with the
change. The recipient is the person, by 短信 (apps.training.payments.claim_recipient: their own phone, else the
one given when enrolling, as for 已发放到账); a person without a phone gets none and reads the public list.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from apps.eligibility.calculators.training import CERTIFICATE_LEVELS
from apps.notifications.events import Event
from apps.notifications.services import enqueue
from apps.training.models import TrainingSubsidyClaim
from apps.training.payments import SLUG, claim_recipient

CLAIM_PUBLISHED = Event(code="training.claim_published", label="职业培训补贴拟补贴公示", channels=("sms",), variables={
    "kind": ("补贴类型", "职业培训补贴"),
    "occupation": ("职业（工种）及等级", "家政服务员（初级工）"),
    "amount": ("拟补贴金额（元）", "1200.00"),
    "publicity_end": ("公示截止日期", "2026-12-08"),
})
OBJECTION_DECIDED = Event(code="training.objection_decided", label="职业培训补贴异议处理结果", channels=("sms",),
                          variables={
                              "kind": ("补贴类型", "技能评价补贴"),
                              "outcome": ("处理结果", "异议成立，已更正认定结果"),
                              "reason": ("处理说明", "经核实，证书等级为中级工"),
                              "amount": ("处理后的补贴金额（元）", "1500.00"),
                              "decided_at": ("处理日期", "2026-12-05"),
                          })
EVENTS = (CLAIM_PUBLISHED, OBJECTION_DECIDED)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d") if timezone.is_aware(value) else f"{value:%Y-%m-%d}"
    return f"{value:%Y-%m-%d}"


def _claim(claim_id: int) -> TrainingSubsidyClaim | None:
    return TrainingSubsidyClaim.objects.select_related("person", "enrollment", "occupation").filter(pk=claim_id).first()


def notify_claim_published(claim: TrainingSubsidyClaim) -> int:
    """公示: one 短信 to the claim's person. Returns how many messages are new (a second call adds none)."""
    found = _claim(claim.pk)
    if found is None:
        return 0
    level = str(CERTIFICATE_LEVELS.get(found.level, found.level))
    return enqueue(CLAIM_PUBLISHED.code, [claim_recipient(found)],
                   {"kind": found.get_kind_display(), "occupation": f"{found.occupation.name}（{level}）",
                    "amount": f"{found.amount:.2f}", "publicity_end": _day(claim.publicity_ends_on)},
                   dedupe_key=f"training-claim:{claim.pk}:published", ref=(SLUG, claim.pk))


def notify_objection_decided(*, objection_id: int, claim_id: int, outcome: str, reason: str = "",
                             amount: Decimal | None = None, decided_at: date | datetime | None = None) -> int:
    """异议处理结果: one 短信 to the claim's person (the dedupe key is the objection: one notice per objection)."""
    claim = _claim(claim_id)
    if claim is None:
        return 0
    return enqueue(OBJECTION_DECIDED.code, [claim_recipient(claim)],
                   {"kind": claim.get_kind_display(), "outcome": outcome, "reason": reason,
                    "amount": "" if amount is None else f"{amount:.2f}", "decided_at": _day(decided_at)},
                   dedupe_key=f"training-objection:{objection_id}:decided", ref=(SLUG, claim_id))
