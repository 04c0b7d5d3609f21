"""The training / skills-assessment subsidy claim as an objection source (registered in TrainingConfig.ready()),
like the childcare claim's (apps.childcare.objections): slug `training-claim`, the record is the claim, the row
key the person id, the result the claim's latest history row (claims keep no version table: the history row is
the version).

* What may be disputed: the stored explanation's steps by label, the calculator's facts and the amount.
* What a caseworker may correct: the certificate level (`certificate_level`, an assessment-subsidy claim) and
  whether the training was completed (`training_completed`, a training-subsidy claim) — the facts the
  calculator prices; the other facts (the programme, the end date) are the enrollment's.
* The window: from `publicity_starts_on` to `publicity_ends_on` (inclusive) of a published claim.
* Upheld: `recompute` prices the corrected facts through the training calculator into a new history version
  (amount, explanation, parameter versions, fingerprint); the claim stays 公示中. A level that would make a second
  claim of the same person, occupation and level is refused (invalid_corrected_facts), as is one the calculator
  does not know.
* Decided: the person hears the outcome (短信, apps.training.notices_out), in the decision's transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.core.validators import mask_id_number
from apps.eligibility.calculators import training as training_calculator
from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.calculators.registry import FactsError, build_facts
from apps.eligibility.parameters import parameter_snapshot, parameter_versions_freeze
from apps.objections.selectors import upheld_comparison
from apps.objections.sources import CorrectableFact, ObjectionRow, ObjectionSource
from apps.training.models import TrainingSubsidyClaim
from apps.training.notices_out import notify_claim_objection_decided
from apps.training.payments import claim_url
from apps.training.services.claims import OBJECTION_SLUG
from apps.training.services.verification import RESULT_KEYS, claim_fingerprint

S = TrainingSubsidyClaim.Status
Kind = TrainingSubsidyClaim.Kind
# The correctable fact of each kind of claim.
CORRECTABLE = {"certificate_level": ("证书等级", Kind.ASSESSMENT), "training_completed": ("培训是否结业", Kind.TRAINING)}
LEVEL_CHOICES = tuple((key, str(label)) for key, label in training_calculator.CERTIFICATE_LEVELS.items())


def _level(level: str | None) -> str:
    return str(training_calculator.CERTIFICATE_LEVELS.get(level or "", level or "—"))


def _yes_no(value: Any) -> str:
    return "是" if value else "否"


def _claim(record_id: int, row_key: str) -> TrainingSubsidyClaim | None:
    if not str(row_key).isdigit():
        return None
    return (TrainingSubsidyClaim.objects.filter(pk=record_id, person_id=int(row_key))
            .select_related("person", "enrollment", "occupation").first())


def _facts(claim: TrainingSubsidyClaim) -> dict[str, Any]:
    if claim.kind == Kind.ASSESSMENT:
        return {"certificate_level": claim.inputs.get("certificate_level", claim.level)}
    return {"training_completed": bool(claim.inputs.get("training_completed"))}


def row(record_id: int, row_key: str) -> ObjectionRow | None:
    claim = _claim(record_id, row_key)
    if claim is None:
        return None
    published = claim.status == S.PUBLICIZING or claim.published_at is not None
    items = [(f"fact:{name}", f"认定事实：{label}") for name, (label, kind) in CORRECTABLE.items() if kind == claim.kind]
    items += [(f"step:{index}", f"计算说明：{step.get('label', '')}")
              for index, step in enumerate(claim.explanation.get("steps", []), 1)]
    items.append(("amount", "补贴金额（认定结果）"))
    url = claim_url(claim)
    return ObjectionRow(
        row_key=str(claim.person_id), result_id=claim.history.latest().history_id,
        subject_name=claim.person.name, subject_code=mask_id_number(claim.person.id_number),
        region_code=claim.enrollment.region_id,
        record_label=f"{claim.get_kind_display()}（{claim.occupation.name}·{_level(claim.level)}）", url=url,
        record_url=url, items=tuple(items), window_opens=claim.publicity_starts_on if published else None,
        window_closes=claim.publicity_ends_on, facts=_facts(claim))


def correctable() -> list[CorrectableFact]:
    return [CorrectableFact(name="certificate_level", label="证书等级（技能评价补贴）", kind="choice",
                            choices=LEVEL_CHOICES),
            CorrectableFact(name="training_completed", label="培训是否结业（职业培训补贴）", kind="boolean")]


def _refused(name: str, message: str) -> ApplicationError:
    return ApplicationError("invalid_corrected_facts", message, {f"corrected_facts.{name}": [message]})


def _corrected(claim: TrainingSubsidyClaim, corrected: dict) -> training_calculator.TrainingFacts:
    """The claim's stored facts with the one correctable fact of its kind replaced, or a field error."""
    try:
        facts = build_facts(training_calculator.TrainingFacts, claim.inputs)
    except FactsError as error:
        raise _refused("certificate_level", f"本申领的测算输入无法读取：{error}") from error
    if claim.kind == Kind.ASSESSMENT:
        level = corrected.get("certificate_level")
        if level not in training_calculator.CERTIFICATE_LEVELS:
            raise _refused("certificate_level", "请选择证书等级")
        return replace(facts, certificate_level=str(level))
    completed = corrected.get("training_completed")
    if not isinstance(completed, bool):
        raise _refused("training_completed", "请填写培训是否结业（是/否）")
    return replace(facts, training_completed=completed)


@transaction.atomic
def recompute(record_id: int, row_key: str, corrected: dict, user, objection) -> int:
    """The corrected fact priced by the calculator with the parameters in force on the training end date (the
    claim's own snapshot date), stored on the claim as its new history version."""
    claim = TrainingSubsidyClaim.objects.select_for_update().select_related("enrollment").get(
        pk=record_id, person_id=int(row_key))
    facts = _corrected(claim, corrected)
    try:
        params = parameter_snapshot(as_of=training_calculator.snapshot_date(facts),
                                    region_code=claim.enrollment.region_id)
        result = training_calculator.calculate(facts, params)
    except ValueError as error:  # a level or an evidence the calculator does not know
        raise _refused("certificate_level", str(error)) from error
    except MissingParameter as error:
        raise ApplicationError("parameter_missing", str(error)) from error
    explanation = result.to_dict()
    claim.amount = result.data[RESULT_KEYS[Kind(claim.kind)]]
    claim.explanation = explanation
    claim.parameter_versions = [{"key": p["key"], "version": p["version"]} for p in explanation["parameters"]]
    if claim.kind == Kind.ASSESSMENT:
        claim.level = facts.certificate_level or claim.level
    for field, value in claim_fingerprint(facts=facts, result=result).items():
        setattr(claim, field, value)
    parameter_versions_freeze(versions=claim.parameter_versions, on=training_calculator.snapshot_date(facts))
    claim._change_reason = f"异议 #{objection.pk}：{objection.decision_reasons}"[:100]  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:  # one claim per person, occupation, level and kind (rejected ones aside)
        raise _refused("certificate_level", f"该人员已申领过{claim.occupation.name}（{_level(claim.level)}）的"
                                            f"{claim.get_kind_display()}，不能更正为该等级") from error
    return claim.history.latest().history_id


SOURCE = ObjectionSource(slug=OBJECTION_SLUG, label="职业培训补贴", row=row, correctable=correctable,
                         recompute=recompute, on_decided=notify_claim_objection_decided)

COMPARISON_FACTS = {"level": ("等级", _level),
                    "inputs": ("培训是否结业", lambda inputs: _yes_no((inputs or {}).get("training_completed")))}


def claim_comparison(claim: TrainingSubsidyClaim) -> dict | None:
    """新旧对照 after the latest upheld objection (apps.objections.selectors.upheld_comparison)."""
    return upheld_comparison(source=OBJECTION_SLUG, record=claim, facts=COMPARISON_FACTS, amount_label="补贴金额")
