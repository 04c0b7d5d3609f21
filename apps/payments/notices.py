"""The payment service's notification event (registered in PaymentsConfig.ready()): 已发放到账."""

from apps.notifications.events import Event

PAID = Event(code="payments.paid", label="资金已发放到账", channels=("sms", "email", "inbox"), variables={
    "purpose": ("用途", "2025年稳岗返还"),
    "amount": ("到账金额（元）", "3600.00"),
    "reference": ("参考号", "P000012-00001"),
    "paid_at": ("到账日期", "2026-12-01"),
})
