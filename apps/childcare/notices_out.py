"""普惠托育服务补助's notifications through the shared events: 名单公示告知 when a claim's list goes up
(apps.publicity.notices) and 异议处理结果 when an objection on it is decided (apps.objections.notices); the payment
service sends 已发放到账. The institution hears by 短信 at its registry phone (apps.childcare.payments' contact).
"""

from __future__ import annotations

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.payments import SOURCE as PAYMENT
from apps.childcare.payments import payee_contacts
from apps.notifications.events import Recipient
from apps.objections.notices import notify_decided
from apps.publicity.models import Publication
from apps.publicity.notices import notify_published


def _purpose(claim: OperatingSubsidyClaim) -> str:
    return f"{claim.year}年普惠托育服务补助"


def _institution(claim: OperatingSubsidyClaim) -> Recipient | None:
    return payee_contacts(claim.pk, [str(claim.institution_id)]).get(str(claim.institution_id))


def notify_claim_published(claim: OperatingSubsidyClaim, publication: Publication) -> int:
    recipient = _institution(claim)
    return notify_published(publication=publication, recipients=[recipient] if recipient else [],
                            purpose=_purpose(claim), amount=claim.amount, ref=(PAYMENT.slug, claim.pk))


def notify_claim_objection_decided(objection) -> None:
    """The objection source's on_decided: the amount after the decision (the recomputed one when upheld)."""
    claim = OperatingSubsidyClaim.objects.only("pk", "year", "amount", "institution_id").get(pk=objection.record_id)
    notify_decided(objection, recipient=_institution(claim), purpose=_purpose(claim), amount=claim.amount,
                   ref=(PAYMENT.slug, claim.pk))
