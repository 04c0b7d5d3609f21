"""The approved 普惠托育服务补助 claim as a payment source (registered in ChildcareConfig.ready()).

One claim pays one institution: the file of a claim has one line, the amount the reviewer approved and the
institution's bank details as they stand in the registry now — so a re-issue after a failed payment pays the
corrected account, and a change after the file's approval is caught by its hash (docs/payments.md).
"""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.notifications.events import Recipient
from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord

PAYMENT_SOURCE = "childcare.claim"


def claim_record(claim_id: int) -> SourceRecord | None:
    claim = OperatingSubsidyClaim.objects.select_related("institution").filter(pk=claim_id).first()
    if claim is None:
        return None
    payable = claim.status == OperatingSubsidyClaim.Status.APPROVED and claim.amount > 0
    refusal = "" if payable else (f"申报当前状态为“{claim.get_status_display()}”，只有审核通过且补助金额大于零的申报"
                                  "可以制作发放文件")
    return SourceRecord(label=f"{claim.institution.name} {claim.year}年运营补助", region_code=claim.institution.region_id,
                        url=reverse("childcare:claim-detail", args=[claim.pk]),
                        purpose=f"{claim.year}年普惠托育服务补助", payable=payable, refusal=refusal)


def claim_lines(claim_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    claims = OperatingSubsidyClaim.objects.filter(pk=claim_id, status=OperatingSubsidyClaim.Status.APPROVED,
                                                  amount__gt=0).select_related("institution")
    lines = []
    for claim in claims:
        institution = claim.institution
        row_key = str(institution.pk)
        if row_keys is not None and row_key not in row_keys:
            continue
        lines.append(PayeeLine.to(institution, amount=claim.amount, region_code=institution.region_id,
                                  payee_url=reverse("childcare:institution-update", args=[institution.pk])))
    return lines


def payee_contacts(claim_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """Who hears that the money arrived (the payment service's 已发放到账 notice): the institution, by 短信."""
    rows = Institution.objects.filter(pk__in=[int(key) for key in row_keys]).values_list("pk", "name", "region_id",
                                                                                         "phone")
    return {str(pk): Recipient(key=f"institution:{pk}", name=name, region_code=region, phone=phone or "")
            for pk, name, region, phone in rows}


SOURCE = PaymentSource(key=PAYMENT_SOURCE, slug="childcare-claim", label="普惠托育服务补助", record=claim_record,
                       lines=claim_lines, contacts=payee_contacts)
