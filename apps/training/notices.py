"""The training / skills-assessment subsidy claim as a notice source (registered in TrainingConfig.ready()): the
person's 职业技能培训补贴告知书 — one per claim, row key the person id.

Everything the notice says comes from the stored claim: the kind, the occupation and level, the amount and the
calculator's stored steps (the same as the claim block on the enrollment page); the basis is the title and 文号
of the documents cited by the parameter versions the claim used and stored (never a file). The person is named
with the ID number masked — in the PDF and on the public verify page, which shows the name masked as well. The
notice is a draft until the claim is approved (已审核, then 已发放); a rejected claim has none.

The objection deadline is the end of the claim's 公示 (apps.publicity, source `training.claim`, record id the
claim id) when one has been published; otherwise the sentence names the series' channel and no deadline — no
seed document sets one for a claim (as for childcare claims, apps.childcare.notices).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from apps.core.validators import mask_id_number, mask_name
from apps.documents.sources import NoticeContent, NoticeRecord, NoticeSource
from apps.eligibility.calculators.training import CERTIFICATE_LEVELS
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import version_ids
from apps.publicity.selectors import publication_for
from apps.training.models import CLAIM_SLUG, TrainingSubsidyClaim
from apps.training.payments import claim_url

SOURCE_KEY = "training.claim"
SLUG = CLAIM_SLUG
PUBLICITY_SOURCE = "training.claim"  # the 公示 of a claim (apps.publicity), record id = the claim id
TITLE = "职业技能培训补贴告知书"
DRAFT_NOTE = "草稿 · 补贴申领尚未审核通过，不作为正式告知"
Status = TrainingSubsidyClaim.Status
FINAL = (Status.APPROVED, Status.PAID)


def is_draft(claim: TrainingSubsidyClaim) -> bool:
    return claim.status not in FINAL


def draft_reason(claim: TrainingSubsidyClaim) -> str:
    return "" if not is_draft(claim) else f"申领当前状态为“{claim.get_status_display()}”，审核通过前告知书为草稿"


def _claim(claim_id: int) -> TrainingSubsidyClaim | None:
    return (TrainingSubsidyClaim.objects
            .select_related("person", "occupation", "enrollment", "enrollment__region",
                            "enrollment__region__parent", "enrollment__region__parent__parent")
            .filter(pk=claim_id).first())


def claim_record(claim_id: int) -> NoticeRecord | None:
    claim = _claim(claim_id)
    if claim is None:
        return None
    return NoticeRecord(label=f"{mask_name(claim.person.name)} · {claim.get_kind_display()}",
                        region_code=claim.enrollment.region_id, url=claim_url(claim), is_draft=is_draft(claim),
                        draft_reason=draft_reason(claim))


def claim_row_keys(claim_id: int) -> list[str]:
    """The person, when the claim pays something and has not been rejected (a rejected claim gets no 告知书,
    not even a draft: nothing was granted)."""
    row = (TrainingSubsidyClaim.objects.filter(pk=claim_id, amount__gt=0).exclude(status=Status.REJECTED)
           .values_list("person_id", flat=True))
    return [str(pk) for pk in row]


def _basis(claim: TrainingSubsidyClaim) -> tuple[str, ...]:
    """The documents the explanation's parameter versions cite (those the claim stored), in the explanation's order."""
    stored = set(version_ids(v.get("version") for v in claim.parameter_versions))
    used = [pk for pk in version_ids(p.get("version") for p in claim.explanation.get("parameters", [])) if pk in stored]
    rows = {row.pk: row for row in PolicyParameter.objects.filter(pk__in=used)}
    basis: list[str] = []
    for row in (rows[pk] for pk in used if pk in rows):
        if row.citation not in basis:
            basis.append(row.citation)
    return tuple(basis)


def _deadline(claim: TrainingSubsidyClaim) -> str:
    publication = publication_for(source_key=PUBLICITY_SOURCE, record_id=claim.pk)
    return f"{publication.ends_on:%Y年%-m月%-d日}" if publication is not None else ""


def _money(amount: Decimal) -> str:
    return f"{Decimal(amount):,.2f}"


def _steps_text(claim: TrainingSubsidyClaim) -> str:
    steps = "；".join(f"{step['label']}：{step['formula']}，{step['value']}"
                     for step in claim.explanation.get("steps", []))
    return f"计算过程——{steps}。" if steps else ""


def claim_contents(claim_id: int, row_keys: Collection[str]) -> list[NoticeContent]:
    claim = _claim(claim_id)
    if (claim is None or str(claim.person_id) not in {str(key) for key in row_keys} or claim.amount <= 0
            or claim.status == Status.REJECTED):
        return []
    person, region = claim.person, claim.enrollment.region
    masked = mask_id_number(person.id_number)
    kind, level = claim.get_kind_display(), str(CERTIFICATE_LEVELS.get(claim.level, claim.level))
    deadline = _deadline(claim)
    objection = (f"如对核定结果有异议，请于{deadline}（含）前通过{{channel}}提出，并提供相关材料；逾期未提出的，视为无异议。"
                 if deadline else "如对核定结果有异议，请通过{channel}提出，并提供相关材料。")
    paragraphs = tuple(p for p in (
        f"根据职业技能培训补贴政策，经审核，您参加{claim.occupation.name}（{level}）的{kind}申领符合条件。",
        _steps_text(claim),
        f"核定您的{kind}金额为人民币 {_money(claim.amount)} 元，将拨付至您登记的本人银行账户。",
    ) if p)
    facts = {"受领人": mask_name(person.name), "公民身份号码": masked, "补贴类型": kind,
             "职业（工种）及等级": f"{claim.occupation.name}（{level}）", "补贴金额": f"{_money(claim.amount)} 元"}
    if deadline:
        facts["异议截止"] = deadline
    return [NoticeContent(
        row_key=str(person.pk), region_code=region.code, year=timezone.localtime(claim.created_at).year, title=TITLE,
        recipient=person.name, recipient_code=masked,
        salutation=f"{person.name}（公民身份号码：{masked}）：", paragraphs=paragraphs,
        amount=claim.amount, basis=_basis(claim), draft_note=DRAFT_NOTE, objection=objection,
        issuer=f"{region.full_name}人力资源和社会保障部门", facts=facts)]


def row_url(claim_id: int, row_key: str) -> str:
    return reverse("training:claim-notice", args=[claim_id])


SOURCE = NoticeSource(key=SOURCE_KEY, slug=SLUG, label="职业技能培训补贴", record=claim_record,
                      row_keys=claim_row_keys, contents=claim_contents, row_url=row_url)
