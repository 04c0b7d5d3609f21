"""稳岗返还's notifications: the events (registered in RefundsConfig.ready()), the functions that enqueue them,
and the payees' contacts for the payment service's 已发放到账 notice.

`notify_run_published(run)` (名单公示) and `notify_objection_decided(...)` (异议处理结果) are called by the code
that publishes a run and decides an objection, inside its transaction: the messages commit with the change.
Only employers with a mobile number (短信) or an e-mail address (电子邮件) get one; the rest are reached the
usual way (the published list itself).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from apps.employers.models import Employer
from apps.notifications.events import Event, Recipient
from apps.notifications.services import enqueue
from apps.refunds.models import RUN_SLUG, RefundResult, RefundRun

RUN_PUBLISHED = Event(code="refunds.run_published", label="稳岗返还名单公示", channels=("sms", "email"), variables={
    "year": ("返还年度", "2025"),
    "region_name": ("区划名称", "长春市南关区"),
    "amount": ("拟返还金额（元）", "3600.00"),
    "publicity_end": ("公示截止日期", "2026-12-08"),
    "enquiry_phone": ("咨询电话", "0431-88888888"),
})
OBJECTION_DECIDED = Event(code="refunds.objection_decided", label="稳岗返还异议处理结果", channels=("sms", "email"),
                          variables={
                              "year": ("返还年度", "2025"),
                              "outcome": ("处理结果", "异议成立，已更正认定结果"),
                              "reason": ("处理说明", "经核实，该单位2024年度缴费记录补录后符合条件"),
                              "amount": ("处理后的返还金额（元），不返还时为空", "3600.00"),
                              "decided_at": ("处理日期", "2026-12-05"),
                          })
EVENTS = (RUN_PUBLISHED, OBJECTION_DECIDED)


def _day(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d") if timezone.is_aware(value) else f"{value:%Y-%m-%d}"
    return value if isinstance(value, str) else f"{value:%Y-%m-%d}"


def _recipient(employer_id: int, name: str, region_code: str, phone: str, email: str, **context) -> Recipient:
    return Recipient(key=f"employer:{employer_id}", name=name, region_code=region_code, phone=phone or "",
                     email=email or "", context=context)


def notify_run_published(run: RefundRun, *, publicity_end: date | str | None = None, enquiry_phone: str = "") -> int:
    """名单公示: one message per eligible employer of the run with a mobile number or an e-mail address, on each
    channel it has. Call inside the transaction that publishes the run; returns how many messages are new
    (a second call for the same run adds none)."""
    results = (RefundResult.objects.filter(run=run, eligible=True)
               .exclude(employer__contact_phone="", employer__contact_email="")
               .order_by("employer_id")
               .values_list("employer_id", "employer__name", "region_code", "employer__contact_phone",
                            "employer__contact_email", "amount"))
    recipients = [_recipient(employer_id, name, region, phone, email, amount=f"{amount:.2f}")
                  for employer_id, name, region, phone, email, amount in results.iterator(chunk_size=2000)]
    return enqueue(RUN_PUBLISHED.code, recipients,
                   {"year": run.year, "region_name": run.region.name, "publicity_end": _day(publicity_end),
                    "enquiry_phone": enquiry_phone},
                   dedupe_key=f"refund-run:{run.pk}:published", ref=(RUN_SLUG, run.pk))


def notify_objection_decided(*, objection_id: int, run_id: int, employer_id: int, outcome: str, reason: str = "",
                             amount: Decimal | None = None, decided_at: date | datetime | None = None) -> int:
    """异议处理结果: one message to the objecting employer (mobile and/or e-mail), from plain values — the
    objection's id (the dedupe key: one notice per objection), its run, the employer, the outcome as the
    employer should read it, an explanation, the amount after the decision (None: no refund), the date."""
    run = RefundRun.objects.only("year").get(pk=run_id)
    employer = Employer.objects.filter(pk=employer_id).values_list(
        "name", "region_id", "contact_phone", "contact_email").first()
    if employer is None:
        return 0
    name, region, phone, email = employer
    recipient = _recipient(employer_id, name, region, phone, email)
    return enqueue(OBJECTION_DECIDED.code, [recipient],
                   {"year": run.year, "outcome": outcome, "reason": reason,
                    "amount": "" if amount is None else f"{amount:.2f}", "decided_at": _day(decided_at or timezone.now())},
                   dedupe_key=f"refund-objection:{objection_id}:decided", ref=(RUN_SLUG, run_id))


def payee_contacts(run_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """The payment source's `contacts`: row key (the employer id) → the employer as a recipient."""
    rows = Employer.objects.filter(pk__in=[int(key) for key in row_keys]).values_list(
        "pk", "name", "region_id", "contact_phone", "contact_email")
    return {str(pk): _recipient(pk, name, region, phone, email) for pk, name, region, phone, email in rows}


