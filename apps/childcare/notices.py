"""The operating-subsidy claim as a notice source (registered in ChildcareConfig.ready()): the institution's
普惠托育服务补助告知书 — one per claim, row key the institution id.

Everything the notice says comes from the stored claim: the amount, the child-months and the calculator's
explanation (the steps shown on the claim page); the basis is the title and 文号 of the documents cited by
the parameter versions the claim used; the permitted uses are the parameter `childcare_notice.fund_uses`
(with its source). The notice is a draft until the claim is approved. The objection sentence names the
series' channel; no seed document sets a deadline for objecting to a claim, so the sentence states none.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.urls import reverse

from apps.childcare.models import OperatingSubsidyClaim
from apps.core.validators import mask_id_number
from apps.documents.sources import NoticeContent, NoticeRecord, NoticeSource
from apps.eligibility.calculators.base import MissingParameter, year_end
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_snapshot, version_ids

SOURCE_KEY = "childcare.claim"
SLUG = "childcare-claim"
TITLE = "普惠托育服务补助告知书"
FUND_USES = "childcare_notice.fund_uses"
USES_INTRO = "补助资金用于以下方面，请专款专用，妥善留存使用凭证："
DRAFT_NOTE = "草稿 · 补助申报尚未审核通过，不作为正式告知"
Status = OperatingSubsidyClaim.Status


def is_draft(claim: OperatingSubsidyClaim) -> bool:
    return claim.status != Status.APPROVED


def draft_reason(claim: OperatingSubsidyClaim) -> str:
    return "" if not is_draft(claim) else f"申报当前状态为“{claim.get_status_display()}”，审核通过前告知书为草稿"


def _claim(claim_id: int) -> OperatingSubsidyClaim | None:
    return (OperatingSubsidyClaim.objects
            .select_related("institution", "institution__region", "institution__region__parent",
                            "institution__region__parent__parent")
            .filter(pk=claim_id).first())


def claim_record(claim_id: int) -> NoticeRecord | None:
    claim = _claim(claim_id)
    if claim is None:
        return None
    return NoticeRecord(label=f"{claim}普惠托育服务补助", region_code=claim.institution.region_id,
                        url=reverse("childcare:claim-detail", args=[claim.pk]), is_draft=is_draft(claim),
                        draft_reason=draft_reason(claim))


def claim_row_keys(claim_id: int) -> list[str]:
    """The institution, when the claim pays something (a claim of 0 yuan gets no notice)."""
    row = OperatingSubsidyClaim.objects.filter(pk=claim_id, amount__gt=0).values_list("institution_id", flat=True)
    return [str(pk) for pk in row]


def _basis(claim: OperatingSubsidyClaim, uses_row: PolicyParameter | None) -> tuple[str, ...]:
    """The documents the explanation's parameter versions cite (those the claim stored), then the uses'."""
    stored = set(version_ids(claim.parameter_versions.values()))
    used = [pk for part in claim.explanation for pk in version_ids(p.get("version") for p in part.get("parameters", []))
            if pk in stored]
    rows = {row.pk: row for row in PolicyParameter.objects.filter(pk__in=used)}
    basis: list[str] = []
    for row in [rows[pk] for pk in used if pk in rows] + ([uses_row] if uses_row is not None else []):
        if row.citation not in basis:
            basis.append(row.citation)
    return tuple(basis)


def _fund_uses(claim: OperatingSubsidyClaim) -> tuple[tuple[str, ...], PolicyParameter | None]:
    try:
        value = parameter_snapshot(as_of=year_end(claim.year), region_code=claim.institution.region_id).get(FUND_USES)
    except MissingParameter:
        return (), None
    return tuple(str(item) for item in value.value), PolicyParameter.objects.filter(pk=value.version).first()


def _money(amount: Decimal) -> str:
    return f"{Decimal(amount):,.2f}"


def _part_text(part: dict) -> str:
    steps = "；".join(f"{step['label']}：{step['formula']}，{step['value']}" for step in part.get("steps", []))
    reasons = "；".join(reason["message"] for reason in part.get("reasons", []))
    return f"{part.get('label') or '全年'}——{steps}" + (f"（{reasons}）" if reasons else "") + "。"


def claim_contents(claim_id: int, row_keys: Collection[str]) -> list[NoticeContent]:
    claim = _claim(claim_id)
    if claim is None or str(claim.institution_id) not in {str(key) for key in row_keys} or claim.amount <= 0:
        return []
    institution = claim.institution
    uses, uses_row = _fund_uses(claim)
    masked = mask_id_number(institution.uscc)
    certified = (f"，其中普惠认定有效期内 {claim.certified_child_months} 人·月"
                 if institution.needs_inclusive_certification else "")
    paragraphs = (
        f"根据普惠托育服务补助政策，经审核，贵机构（{institution.get_category_display()}，{institution.region.full_name}）"
        f"{claim.year}年度在托婴幼儿计入 {claim.child_months} 人·月{certified}（同一婴幼儿每月只计入一家机构）。",
        *(_part_text(part) for part in claim.explanation),
        f"核定贵机构{claim.year}年度普惠托育服务补助金额为人民币 {_money(claim.amount)} 元，"
        "将拨付至贵机构登记的银行账户。",
    )
    return [NoticeContent(
        row_key=str(institution.pk), region_code=institution.region_id, year=claim.year, title=TITLE,
        recipient=institution.name, recipient_code=masked,
        salutation=f"{institution.name}（统一社会信用代码：{masked}）：", paragraphs=paragraphs,
        amount=claim.amount, basis=_basis(claim, uses_row), uses=uses, uses_intro=USES_INTRO, draft_note=DRAFT_NOTE,
        objection="如对核定结果有异议，请通过{channel}提出，并提供相关材料。",
        issuer=f"{institution.region.full_name}卫生健康行政部门",
        facts={"机构名称": institution.name, "统一社会信用代码": masked, "补助年度": f"{claim.year}年",
               "补助金额": f"{_money(claim.amount)} 元"})]


def row_url(claim_id: int, row_key: str) -> str:
    return reverse("childcare:claim-notice", args=[claim_id])


SOURCE = NoticeSource(key=SOURCE_KEY, slug=SLUG, label="普惠托育服务补助", record=claim_record,
                      row_keys=claim_row_keys, contents=claim_contents, row_url=row_url)
