"""The approved 创业担保贷款贴息申请 as a payment source (registered in StartupLoansConfig.ready()): the interest
subsidy is paid to the lender bank (贴息资金拨付经办银行), into the settlement account of the loan's lender in the
经办银行名录 (apps.startup_loans.models.Lender) — never to the borrower.

One claim is one record and pays one line, as a childcare or training claim does (docs/payments.md says why not a
region's batch). The line is the approved amount and the lender's bank details as they stand now, so a re-issue
after a failed payment pays the corrected account and a change after the file's approval is caught by its hash.
The file going to the bank moves the claim to 已拨付 (`on_issued`), the bank's return marking the line paid to
已到账 (`on_paid`). A claim in a live file cannot go into a second one: the payment service binds one live first
file to one record.
"""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord
from apps.startup_loans import services
from apps.startup_loans.models import SubsidyClaim

PAYMENT_SOURCE = "startup_loans.claim"
SLUG = "startup-loan-claim"
Status = SubsidyClaim.Status
# A claim whose file failed at the bank is 已拨付 and is paid again by a re-issue file: its line is still due.
DUE = (Status.APPROVED, Status.ISSUED)


def _claims(claim_id: int):
    return SubsidyClaim.objects.filter(pk=claim_id).select_related("application__person", "application__lender")


def claim_record(claim_id: int) -> SourceRecord | None:
    claim = _claims(claim_id).first()
    if claim is None:
        return None
    application = claim.application
    refusal = ""
    if claim.status != Status.APPROVED or claim.amount <= 0:
        refusal = (f"贴息申请当前状态为“{claim.get_status_display()}”，只有审核通过且贴息金额大于零的贴息申请"
                   "可以制作发放文件")
    elif application.lender_id is None:
        refusal = "该贷款尚未关联经办银行名录中的银行（贴息资金拨付经办银行），请先在贷款页选择经办银行"
    return SourceRecord(label=f"{application.reference} {application.person.name} 贴息申请 #{claim.pk}",
                        region_code=claim.region_id, url=reverse("startup_loans:claim-detail", args=[claim.pk]),
                        purpose=f"创业担保贷款贴息 {application.reference}", payable=not refusal, refusal=refusal)


def claim_lines(claim_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    """The claim's one line, to the lender: row key the lender's id, code its 统一社会信用代码."""
    lines = []
    for claim in _claims(claim_id).filter(status__in=DUE, amount__gt=0, application__lender__isnull=False):
        lender = claim.application.lender
        row_key = str(lender.pk)
        if row_keys is not None and row_key not in row_keys:
            continue
        lines.append(PayeeLine.to(lender, amount=claim.amount, region_code=claim.region_id,
                                  payee_url=reverse("startup_loans:lender-update", args=[lender.pk])))
    return lines


def claim_issued(claim_id: int, batch, user) -> None:
    services.claim_record_issued(claim_id=claim_id, batch_id=batch.pk, issued_at=batch.issued_at, user=user)


def claim_paid(claim_id: int, lines: list, user) -> None:
    if lines:  # one line per claim
        services.claim_record_paid(claim_id=claim_id, reference=lines[0].reference, paid_at=lines[0].returned_at,
                                   user=user)


SOURCE = PaymentSource(key=PAYMENT_SOURCE, slug=SLUG, label="创业担保贷款贴息", record=claim_record,
                       lines=claim_lines, on_issued=claim_issued, on_paid=claim_paid)
