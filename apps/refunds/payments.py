"""The refund run as a payment source (registered in RefundsConfig.ready()): what the payment service pays.

The lines of a run are its eligible results with an amount above zero, the employer's bank details as they
stand in the registry now — so a correction made after a failed payment is what a re-issue pays, and a
change made after an approval is what the hash check catches. Rows held by an open objection
(apps.objections.selectors.open_holds) are left out until it is decided.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.urls import reverse

from apps.objections.selectors import open_holds
from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord
from apps.refunds.models import RUN_SLUG, RefundResult, RefundRun
from apps.refunds.notices_out import payee_contacts
from apps.refunds.payment_lifecycle import LIFECYCLE, PAYMENT_SOURCE

PAYABLE = (RefundRun.Status.APPROVED, RefundRun.Status.EXPORTED)


def run_record(run_id: int) -> SourceRecord | None:
    run = RefundRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    payable = run.is_official and run.status in PAYABLE
    refusal = "" if payable else f"批次当前状态为“{run.get_status_display()}”，只有审核通过的正式批次可以制作首次发放文件"
    return SourceRecord(label=str(run), region_code=run.region_id, url=reverse("refunds:detail", args=[run.pk]),
                        purpose=f"{run.year}年稳岗返还", payable=payable, refusal=refusal)


def run_lines(run_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    # Rows held by an open objection are not paid (apps.objections: the employer's row, not the run).
    held = [int(key) for key in open_holds(RUN_SLUG, run_id)]
    results = RefundResult.objects.filter(run_id=run_id, eligible=True, amount__gt=0).exclude(employer_id__in=held)
    if row_keys is not None:
        results = results.filter(employer_id__in=[int(key) for key in row_keys])
    fields = ("employer_id", "employer__uscc", "employer__name", "employer__bank_name", "employer__bank_account",
              "employer__bank_account_name", "amount", "region_code")
    return [PayeeLine(row_key=str(employer_id), payee_code=uscc or "", payee_name=name or "", bank_name=bank or "",
                      account_number=account or "", account_name=account_name or "", amount=amount,
                      region_code=region, payee_url=reverse("employers:edit", args=[employer_id]))
            for employer_id, uscc, name, bank, account, account_name, amount, region
            in results.order_by("employer_id").values_list(*fields)]


def run_issued(run_id: int, batch, user) -> None:
    """The first file of a run is issued: the run moves to "issued" (re-issues find it there already)."""
    with transaction.atomic():
        run = RefundRun.objects.select_for_update().get(pk=run_id)
        if run.status in PAYABLE:
            LIFECYCLE.apply(run, "issue", user=user,
                            note=f"发放文件 #{batch.pk}：{batch.row_count} 笔，合计 {batch.total_amount:.2f} 元，"
                                 f"SHA-256 {batch.issued_sha256}")


SOURCE = PaymentSource(key=PAYMENT_SOURCE, slug=RUN_SLUG, label="稳岗返还", record=run_record, lines=run_lines,
                       on_issued=run_issued, contacts=payee_contacts)
