"""The approved training / skills-assessment subsidy claim as a payment source (registered in
TrainingConfig.ready()): the subsidy is paid to the person, into their own account (applicants.Person's bank
details, 户名 = the person's name).

One claim is one record and pays one line, as a childcare claim does. Not a region's batch of claims: the
payment service binds one live first file to one record (source id) and re-hashes the record's lines at
approval and at issue — a batch "every approved unpaid claim of a region" would change whenever another claim
is approved, invalidating its approval, and could never have a second first file. A claim is a stable record,
its page is where the caseworker already works, and the 待办 lists (files to approve, failures to re-issue)
gather the many small files. docs/payments.md.
"""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from apps.core.validators import mask_id_number
from apps.notifications.events import Recipient
from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord
from apps.training.models import CLAIM_SLUG, TrainingSubsidyClaim
from apps.training.notices_out import claim_recipient
from apps.training.services.claim_payments import claims_record_bank_payment
from apps.training.services.claims import PAYMENT_SOURCE

Status = TrainingSubsidyClaim.Status
SLUG = CLAIM_SLUG


def _claims(claim_id: int):
    return TrainingSubsidyClaim.objects.filter(pk=claim_id).select_related("person", "enrollment", "occupation")


def claim_url(claim: TrainingSubsidyClaim) -> str:
    return f"{reverse('training:enrollment-detail', args=[claim.enrollment_id])}#claim-{claim.pk}"


def claim_record(claim_id: int) -> SourceRecord | None:
    claim = _claims(claim_id).first()
    if claim is None:
        return None
    payable = claim.status == Status.APPROVED and claim.amount > 0
    refusal = "" if payable else (f"申领当前状态为“{claim.get_status_display()}”，只有已审核且金额大于零的补贴申领"
                                  "可以制作发放文件")
    return SourceRecord(label=f"{claim.person.name} {claim.get_kind_display()}（{claim.occupation.name}）",
                        region_code=claim.enrollment.region_id, url=claim_url(claim),
                        purpose=str(claim.get_kind_display()), payable=payable, refusal=refusal)


def claim_lines(claim_id: int, row_keys: Collection[str] | None) -> list[PayeeLine]:
    """The claim's one line: the approved amount, the person's bank details as they stand now (a re-issue pays
    the corrected account). The payee code is the masked ID number: the bank credits by account and 户名, and
    the pages that show the code show no full ID number."""
    lines = []
    for claim in _claims(claim_id).filter(status=Status.APPROVED, amount__gt=0):
        person = claim.person
        row_key = str(person.pk)
        if row_keys is not None and row_key not in row_keys:
            continue
        lines.append(PayeeLine(row_key=row_key, payee_code=mask_id_number(person.id_number), payee_name=person.name,
                               bank_name=person.bank_name, account_number=person.bank_account,
                               account_name=person.bank_account_name, amount=claim.amount,
                               region_code=claim.enrollment.region_id,
                               payee_url=reverse("applicants:edit", args=[person.pk]), personal=True))
    return lines


def claim_paid(claim_id: int, lines: list, user) -> None:
    """The bank's return marked the claim's line paid: the claim → paid on the return's date (the training
    service records it like its other moves)."""
    if lines:  # one line per claim
        claims_record_bank_payment(paid=[(claim_id, lines[0].reference)], paid_at=lines[0].returned_at, user=user)


def payee_contacts(claim_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """Who hears that the money arrived (已发放到账): the person, by 短信 — their own phone, else the one they gave
    when enrolling."""
    claim = _claims(claim_id).first()
    if claim is None or str(claim.person_id) not in row_keys:
        return {}
    return {str(claim.person_id): claim_recipient(claim)}


SOURCE = PaymentSource(key=PAYMENT_SOURCE, slug=SLUG, label="职业培训和技能评价补贴", record=claim_record,
                       lines=claim_lines, on_paid=claim_paid, contacts=payee_contacts, personal=True,
                       payee_model="applicants.person")
