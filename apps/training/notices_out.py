"""Training subsidy claims' notifications through the shared events, as childcare claims' (apps.childcare.
notices_out): 名单公示告知 when a claim's list goes up (apps.publicity.notices) and 异议处理结果 when an objection on
it is decided (apps.objections.notices); the payment service sends 已发放到账. Each is called inside the move's
transaction, so the message commits with the change. The recipient is the person, by 短信
(`claim_recipient`: their own phone, else the one given when enrolling; the payment source's 已发放到账 uses it too); a person without
a phone gets none and reads the public list.
"""

from __future__ import annotations

from apps.eligibility.calculators.training import CERTIFICATE_LEVELS
from apps.notifications.events import Recipient
from apps.objections.notices import notify_decided
from apps.publicity.models import Publication
from apps.publicity.notices import notify_published
from apps.training.models import CLAIM_SLUG, TrainingSubsidyClaim


def claim_recipient(claim: TrainingSubsidyClaim) -> Recipient:
    """The claim's person as a recipient of its 短信 (到账, 公示, 异议处理结果): their own phone, else the one
    they gave when enrolling."""
    person = claim.person
    phone = person.phone or claim.enrollment.phone or ""
    return Recipient(key=f"person:{person.pk}", name=person.name, region_code=person.region_id, phone=phone)


def _claim(claim_id: int) -> TrainingSubsidyClaim:
    return TrainingSubsidyClaim.objects.select_related("person", "enrollment", "occupation").get(pk=claim_id)


def _purpose(claim: TrainingSubsidyClaim) -> str:
    """e.g. 职业培训补贴（家政服务员·初级工）."""
    level = str(CERTIFICATE_LEVELS.get(claim.level, claim.level))
    return f"{claim.get_kind_display()}（{claim.occupation.name}·{level}）"


def notify_claim_published(claim: TrainingSubsidyClaim, publication: Publication) -> int:
    """名单公示告知 to the claim's person; returns how many messages are new (once per publication)."""
    found = _claim(claim.pk)
    return notify_published(publication=publication, recipients=[claim_recipient(found)], purpose=_purpose(found),
                            amount=found.amount, ref=(CLAIM_SLUG, found.pk))


def notify_claim_objection_decided(objection) -> None:
    """The objection source's on_decided: the amount after the decision (the recomputed one when upheld)."""
    claim = _claim(objection.record_id)
    notify_decided(objection, recipient=claim_recipient(claim), purpose=_purpose(claim), amount=claim.amount,
                   ref=(CLAIM_SLUG, claim.pk))
