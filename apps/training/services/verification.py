"""Training's verifier: a subsidy claim recomputed from its stored facts and parameter versions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from apps.eligibility.calculators import training as training_calculator
from apps.eligibility.calculators.base import MissingParameter, Result
from apps.eligibility.calculators.registry import FactsError, build_facts
from apps.eligibility.fingerprints import VersionMissing, fingerprint, parameters_part, snapshot_from_versions
from apps.eligibility.models import PolicyParameter
from apps.eligibility.selectors import facts_to_json
from apps.eligibility.verification import (
    ChunkOutcome,
    Verifier,
    compare,
    compare_provenance,
    outcome_add,
    since_start,
)
from apps.training.models import TrainingSubsidyClaim

KIND = "training_claim"
RESULT_KEYS = {TrainingSubsidyClaim.Kind.TRAINING: "training_subsidy",
               TrainingSubsidyClaim.Kind.ASSESSMENT: "assessment_subsidy"}


def claim_fingerprint(*, facts: training_calculator.TrainingFacts, result: Result) -> dict[str, Any]:
    """The fields a new claim stores about its inputs: the facts as JSON, the calculator version, the fingerprint."""
    inputs = facts_to_json(facts)
    return {"inputs": inputs, "calculator_version": training_calculator.VERSION,
            "fingerprint": fingerprint(calculator_version=training_calculator.VERSION, facts=inputs,
                                       parameters=parameters_part(result.parameters))}


def claims(since: date | None) -> QuerySet:
    queryset = TrainingSubsidyClaim.objects.all()
    start = since_start(since)
    return queryset.filter(created_at__gte=start) if start else queryset


def check(lo: int, hi: int, since: date | None) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = list(claims(since).filter(id__gte=lo, id__lt=hi).order_by("id").values_list(
        "id", "kind", "amount", "inputs", "parameter_versions", "calculator_version", "fingerprint"))
    versions = {int(v["version"]) for row in rows for v in row[4]}
    parameters = PolicyParameter.objects.in_bulk(list(versions))
    for pk, kind, amount, inputs, version_list, calculator_version, stored in rows:
        outcome.checked += 1
        record = f"培训补贴申领 #{pk}"
        if not stored:
            outcome.unverifiable += 1
            continue
        problems: list[str] = []
        try:
            facts = build_facts(training_calculator.TrainingFacts, inputs)
            snapshot = snapshot_from_versions(as_of=training_calculator.snapshot_date(facts),
                                              versions=[v["version"] for v in version_list], rows=parameters)
            result = training_calculator.calculate(facts, snapshot)
        except (VersionMissing, MissingParameter, FactsError, ValueError, TypeError, KeyError,
                ArithmeticError) as error:
            outcome_add(outcome, record, [f"无法按存储的输入重算：{error}"])
            continue
        compare(problems, "金额", amount, result.data[RESULT_KEYS[kind]])
        compare(problems, "参数版本", [int(v["version"]) for v in version_list],
                [int(p.version) for p in result.parameters])
        again = fingerprint(calculator_version=calculator_version, facts=inputs,
                            parameters=parameters_part(snapshot.get(p.key) for p in result.parameters))
        compare_provenance(problems, stored_version=calculator_version, current_version=training_calculator.VERSION,
                           stored_fingerprint=stored, recomputed_fingerprint=again)
        outcome_add(outcome, record, problems)
    return outcome


VERIFIER = Verifier(kind=KIND, label="培训补贴申领", queryset=claims, check=check, chunk_size=5000, order=40)
