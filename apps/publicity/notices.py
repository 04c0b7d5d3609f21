"""The publication service's notification event (registered in PublicityConfig.ready()): 名单公示告知 — "you are
on a list now in its 公示 window" — for any source that tells its payee so (childcare and training claims; the
refund run keeps its own wording, apps.refunds.notices_out). Like payments' 已发放到账 (apps.payments.notices):
the programme passes its recipients and what the list is for; the service knows no programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from apps.notifications.events import Event, Recipient
from apps.notifications.services import enqueue
from apps.publicity.models import Publication

PUBLISHED = Event(code="publicity.published", label="名单公示告知", channels=("sms", "email"), variables={
    "purpose": ("公示事项", "2026年普惠托育服务补助"),
    "amount": ("拟发放金额（元）", "12000.00"),
    "publicity_start": ("公示开始日期", "2026-12-03"),
    "publicity_end": ("公示截止日期", "2026-12-09"),
})


def notify_published(*, publication: Publication, recipients: Iterable[Recipient], purpose: str,
                     amount: Decimal, ref: tuple[str, int]) -> int:
    """名单公示告知 to the payees of one publication, in the transaction that opens it (the outbox row commits
    with the list or not at all). One occurrence per publication: a list taken down and published again is a
    new publication, so its payees hear of the new window."""
    return enqueue(PUBLISHED.code, recipients,
                   {"purpose": purpose, "amount": f"{amount:.2f}", "publicity_start": f"{publication.starts_on:%Y-%m-%d}",
                    "publicity_end": f"{publication.ends_on:%Y-%m-%d}"},
                   dedupe_key=f"publication:{publication.pk}:published", ref=ref)
