"""The approved 养老服务人才 incentive claim as a payment source (registered in EldercareConfig.ready()).

Who is paid is the policy's (models.PAYEE_INSTITUTION_KINDS, 吉民发〔2024〕33号 二(一)): the four awards of full-time
workers (入职奖励, 岗位补贴, 技能等级奖励, 荣誉奖励), 职业培训补贴 and 一次性创业补贴 go into the person's own account
(applicants.Person's bank details, 户名 = the person's name: `personal`); 就业见习补贴 and 社会保险补贴 into the
institution's 单位银行结算账户 (Institution's bank details). Two sources, so that the payment pages and the file say
收款人 / 身份证号 for people and 收款单位 / 统一社会信用代码 for institutions, and a download of a personal file is
logged as a read of the person (`payee_model`). A claim belongs to exactly one of them: the other answers "no such
record" (404), so a claim can never be in a file of both.

One claim is one record and pays one line, as training and childcare claims do: the payment service binds one live
first file to one record and re-hashes its lines at approval and at issue, so a region-and-month batch would
change (its approval invalidated) whenever another claim of the month was approved, and could never have a second
first file for the claims approved later. The 待办 lists (files to approve, failures to re-issue) gather the many
small files. docs/eldercare.md.
"""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from apps.eldercare.models import PAYEE_INSTITUTION_KINDS, IncentiveClaim
from apps.eldercare.services import claim_record_bank_payment
from apps.notifications.events import Recipient
from apps.payments.sources import PayeeLine, PaymentSource, SourceRecord

PERSONAL_SOURCE = "eldercare.claim"
PERSONAL_SLUG = "eldercare-claim"
INSTITUTION_SOURCE = "eldercare.institution_claim"
INSTITUTION_SLUG = "eldercare-institution-claim"

Status = IncentiveClaim.Status


def _claims(claim_id: int, *, to_institution: bool):
    claims = IncentiveClaim.objects.filter(pk=claim_id).select_related("person", "institution")
    if to_institution:
        return claims.filter(kind__in=PAYEE_INSTITUTION_KINDS)
    return claims.exclude(kind__in=PAYEE_INSTITUTION_KINDS)


def payment_slug(claim: IncentiveClaim) -> str:
    """The payment page of this claim (`payments:source <slug> <id>`): the institution's or the person's source."""
    return INSTITUTION_SLUG if claim.paid_to_institution else PERSONAL_SLUG


def _record(claim_id: int, *, to_institution: bool) -> SourceRecord | None:
    claim = _claims(claim_id, to_institution=to_institution).first()
    if claim is None:
        return None
    payable = claim.status == Status.APPROVED and claim.amount > 0
    refusal = "" if payable else (f"申领当前状态为“{claim.get_status_display()}”，只有已审核且金额大于零的补贴申领"
                                  "可以制作发放文件")
    payee = claim.institution.name if to_institution else claim.person.name
    return SourceRecord(label=f"{payee} {claim.get_kind_display()}（{claim.claim_date:%Y-%m-%d} 申领）",
                        region_code=claim.region_id, url=reverse("eldercare:claim-detail", args=[claim.pk]),
                        purpose=f"养老服务人才{claim.get_kind_display()}", payable=payable, refusal=refusal)


def _lines(claim_id: int, row_keys: Collection[str] | None, *, to_institution: bool) -> list[PayeeLine]:
    """The claim's one line: the approved amount, the payee's bank details as they stand now (a re-issue pays the
    corrected account). A person's code column carries the masked ID number (the bank credits by account and 户名)."""
    lines = []
    for claim in _claims(claim_id, to_institution=to_institution).filter(status=Status.APPROVED, amount__gt=0):
        payee = claim.institution if to_institution else claim.person
        if row_keys is not None and str(payee.pk) not in row_keys:
            continue
        url = (reverse("eldercare:institution-update", args=[payee.pk]) if to_institution
               else reverse("applicants:edit", args=[payee.pk]))
        lines.append(PayeeLine.to(payee, amount=claim.amount, region_code=claim.region_id, payee_url=url))
    return lines


def claim_paid(claim_id: int, lines: list, user) -> None:
    """The bank's return marked the claim's line paid: the claim → 已发放 on the return's time (once)."""
    if lines:  # one line per claim
        claim_record_bank_payment(claim_id=claim_id, reference=lines[0].reference, paid_at=lines[0].returned_at,
                                  user=user)


def person_contacts(claim_id: int, row_keys: Collection[str]) -> dict[str, Recipient]:
    """Who hears that the money arrived (已发放到账): the person, by 短信 at their phone."""
    claim = _claims(claim_id, to_institution=False).first()
    if claim is None or str(claim.person_id) not in row_keys:
        return {}
    person = claim.person
    return {str(person.pk): Recipient(key=f"person:{person.pk}", name=person.name, region_code=person.region_id,
                                      phone=person.phone or "")}


PERSONAL = PaymentSource(
    key=PERSONAL_SOURCE, slug=PERSONAL_SLUG, label="养老服务人才补贴（个人）",
    record=lambda claim_id: _record(claim_id, to_institution=False),
    lines=lambda claim_id, keys: _lines(claim_id, keys, to_institution=False),
    on_paid=claim_paid, contacts=person_contacts, personal=True, payee_model="applicants.person")

# The institution registry has no phone of its own (a unit's contact is not recorded here): no 到账 notice.
INSTITUTION = PaymentSource(
    key=INSTITUTION_SOURCE, slug=INSTITUTION_SLUG, label="养老服务人才补贴（机构）",
    record=lambda claim_id: _record(claim_id, to_institution=True),
    lines=lambda claim_id, keys: _lines(claim_id, keys, to_institution=True),
    on_paid=claim_paid)

SOURCES = (PERSONAL, INSTITUTION)
