"""The operating-subsidy claim as an objection source (registered in ChildcareConfig.ready()), like the refund
run's (apps.refunds.objections): slug `childcare-claim`, the record is the claim, the row key the institution id,
the result the claim's latest history row (claims keep no version table: the history row is the version).

* What may be disputed: the stored explanation's parts by label, the counted child-months and the amount.
* The window: from `publicity_starts_on` to `publicity_ends_on` (inclusive) of a published claim.
* Upheld: `recompute` prices the corrected child-months through the calculator (the claim stays 公示中).
* Decided: `on_decided` tells the institution (异议处理结果, apps.childcare.notices_out).
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.notices_out import notify_claim_objection_decided
from apps.childcare.services.claims import OBJECTION_SLUG, _used_versions
from apps.childcare.services.verification import claim_fingerprint_store, part_facts
from apps.core.exceptions import ApplicationError
from apps.eligibility.calculators import childcare_operating
from apps.eligibility.calculators.base import FactRefused, year_end
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.objections.selectors import upheld_comparison
from apps.objections.sources import CorrectableFact, ObjectionRow, ObjectionSource

S = OperatingSubsidyClaim.Status
CORRECTABLE = {"child_months": "在托人月数"}


def _claim(record_id: int, row_key: str) -> OperatingSubsidyClaim | None:
    if not str(row_key).isdigit():
        return None
    return (OperatingSubsidyClaim.objects.filter(pk=record_id, institution_id=int(row_key))
            .select_related("institution").first())


def row(record_id: int, row_key: str) -> ObjectionRow | None:
    claim = _claim(record_id, row_key)
    if claim is None:
        return None
    published = claim.status == S.PUBLICIZING or claim.published_at is not None
    items = [(f"fact:{name}", f"认定事实：{label}") for name, label in CORRECTABLE.items()]
    items += [(f"step:{index}", f"计算说明：{part.get('label', '')}")
              for index, part in enumerate(claim.explanation, 1)]
    items.append(("amount", "补助金额（认定结果）"))
    url = reverse("childcare:claim-detail", args=[claim.pk])
    return ObjectionRow(
        row_key=str(claim.institution_id), result_id=claim.history.latest().history_id,
        subject_name=claim.institution.name, subject_code=claim.institution.uscc or "",
        region_code=claim.institution.region_id, record_label=str(claim), url=url, record_url=url,
        items=tuple(items), window_opens=claim.publicity_starts_on if published else None,
        window_closes=claim.publicity_ends_on, facts={"child_months": claim.child_months})


def correctable() -> list[CorrectableFact]:
    return [CorrectableFact(name=name, label=label, kind="integer") for name, label in CORRECTABLE.items()]


def _refused(message: str) -> ApplicationError:
    return ApplicationError("invalid_corrected_facts", message, {"corrected_facts.child_months": [message]})


@transaction.atomic
def recompute(record_id: int, row_key: str, corrected: dict, user, objection) -> int:
    """The corrected child-months of the claim's one part, priced by the calculator (a corrected total has no
    months, so the calculator prices it at the year's rate and refuses it when the rate changed in the year)."""
    claim = OperatingSubsidyClaim.objects.select_for_update().select_related("institution").get(
        pk=record_id, institution_id=int(row_key))
    value = corrected.get("child_months")
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise _refused("在托人月数须为非负整数")
    if len(claim.inputs) != 1:
        raise _refused("本申报分普惠认定有效期内外两部分计算，不能只更正合计人月数")
    part = claim.inputs[0]
    facts = replace(part_facts(part["facts"]), child_months=int(str(value)), monthly_child_months=None)
    snapshot = parameter_snapshot(as_of=year_end(claim.year), region_code=claim.institution.region_id)
    try:
        result = childcare_operating.calculate(facts, snapshot)
    except FactRefused as error:
        raise _refused(error.message) from error
    versions = _used_versions([(part["label"], result)])
    versions.update({key: version for key, version in claim.parameter_versions.items() if key not in versions})
    claim.explanation = [{**result.to_dict(), "label": part["label"]}]
    claim.parameter_versions = versions
    claim.child_months = facts.child_months
    if claim.certified_child_months:
        claim.certified_child_months = facts.child_months
    claim.amount = result.amount
    parameter_versions_freeze(versions=claim.parameter_versions.values(), on=year_end(claim.year))
    claim_fingerprint_store(claim)
    claim.computed_at, claim.computed_by = timezone.now(), user
    claim._change_reason = f"异议 #{objection.pk}：{objection.decision_reasons}"  # type: ignore[attr-defined]
    claim.save()
    return claim.history.latest().history_id


SOURCE = ObjectionSource(slug=OBJECTION_SLUG, label="普惠托育服务补助", row=row, correctable=correctable,
                         recompute=recompute, on_decided=notify_claim_objection_decided)


def claim_comparison(claim: OperatingSubsidyClaim) -> dict | None:
    """新旧对照 after the latest upheld objection: the history rows it changed from and to (two queries)."""
    return upheld_comparison(source=OBJECTION_SLUG, record=claim, amount_label="补助金额",
                             facts={name: (label, lambda value: value) for name, label in CORRECTABLE.items()})
