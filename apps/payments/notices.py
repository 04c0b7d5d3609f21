"""The payment service's notification event (registered in PaymentsConfig.ready()): 已发放到账, and the keys its
messages carry (one occurrence per file, one recipient per paid line) — read back by `selectors.paid_notices`."""

from apps.notifications.events import Event

PAID = Event(code="payments.paid", label="资金已发放到账", channels=("sms", "email", "inbox"), variables={
    "purpose": ("用途", "2025年稳岗返还"),
    "amount": ("到账金额（元）", "3600.00"),
    "reference": ("参考号", "P000012-00001"),
    "paid_at": ("到账日期", "2026-12-01"),
})


def paid_dedupe_key(batch_id: int) -> str:
    return f"payment-batch:{batch_id}:paid"


def paid_recipient_key(line_id: int) -> str:
    return f"line:{line_id}"
