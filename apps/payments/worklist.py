"""The 重新发放 worklist: failed payments nobody has re-issued or closed yet (registered in PaymentsConfig)."""

from __future__ import annotations

from django.urls import reverse

from apps.core.money import format_money
from apps.core.registry import WorklistSource
from apps.payments.selectors import failed_line_count, failed_line_items
from apps.payments.sources import SOURCES

ITEMS = 5


def reissue_items(user, today) -> list[dict]:
    items = []
    for line in failed_line_items(user=user, limit=ITEMS):
        source = SOURCES.get(line.batch.source)
        url = (reverse("payments:source", args=[source.slug, line.batch.source_id]) if source
               else reverse("payments:reissue-worklist"))
        items.append({"label": f"{line.payee_name} · {format_money(line.amount)} 元 · {line.failure_reason}",
                      "url": url, "due": None, "region": line.region_code, "kind": "payment_failed"})
    return items


def reissue_count(user, today) -> int:
    return failed_line_count(user=user)


REISSUE_WORKLIST = WorklistSource(key="payments.reissue", label="支付失败待重新发放", items=reissue_items,
                                  count=reissue_count, order=40)
