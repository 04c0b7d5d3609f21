"""Eligibility's own verifier: a stored Determination recomputed from its stored facts and parameter versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from apps.eligibility.calculators.base import MissingParameter, ParameterSnapshot
from apps.eligibility.calculators.registry import CALCULATORS, FactsError, build_facts
from apps.eligibility.fingerprints import VersionMissing, fingerprint, parameters_part, snapshot_from_versions
from apps.eligibility.models import Determination, PolicyParameter
from apps.eligibility.parameters import parameter_snapshot
from apps.eligibility.verification import (
    ChunkOutcome,
    Verifier,
    compare,
    compare_provenance,
    outcome_add,
    since_start,
)

KIND = "determination"


def determinations(since: date | None) -> QuerySet:
    queryset = Determination.objects.all()
    start = since_start(since)
    return queryset.filter(created_at__gte=start) if start else queryset


def check(lo: int, hi: int, since: date | None) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = list(determinations(since).filter(id__gte=lo, id__lt=hi).order_by("id").values_list(
        "id", "calculator", "as_of", "region_id", "facts", "eligible", "amount", "result", "parameter_versions",
        "calculator_version", "fingerprint"))
    versions = {int(v) for row in rows for v in row[8] if str(v).isdigit()}
    parameters = PolicyParameter.objects.in_bulk(list(versions))
    in_force: dict[tuple, ParameterSnapshot] = {}
    for (pk, calculator, as_of, region, facts, eligible, amount, result, version_ids, calculator_version,
         stored) in rows:
        outcome.checked += 1
        record = f"测算决定 #{pk}（{calculator}）"
        problems: list[str] = []
        entry = CALCULATORS.get(calculator)
        if entry is None:
            outcome_add(outcome, record, ["测算项目已不存在"])
            continue
        if any(not str(v).isdigit() for v in version_ids):
            outcome_add(outcome, record, [f"参数版本无法核验：{version_ids}"])
            continue
        try:
            if (as_of, region) not in in_force:
                in_force[(as_of, region)] = parameter_snapshot(as_of=as_of, region_code=region)
            snapshot = snapshot_from_versions(as_of=as_of, versions=version_ids, rows=parameters,
                                              fill=in_force[(as_of, region)])
            recomputed = entry.calculate(build_facts(entry.facts_type, facts), snapshot)
        except (VersionMissing, MissingParameter, FactsError, ValueError, TypeError, ArithmeticError) as error:
            outcome_add(outcome, record, [f"无法按存储的输入重算：{error}"])
            continue
        compare(problems, "是否符合", eligible, recomputed.eligible)
        compare(problems, "金额", Decimal(amount), recomputed.amount)
        compare(problems, "原因", [r["code"] for r in result.get("reasons", [])],
                [r.code for r in recomputed.reasons])
        compare(problems, "参数版本", [int(v) for v in version_ids], [int(p.version) for p in recomputed.parameters])
        if stored:
            # Recomputed from the stored version the decision was made with: a changed value shows here.
            # (The recomputed result's parameters are the snapshot's, i.e. the stored versions — every one of a
            # key used at several versions — or, for keys the decision did not name, today's: see 参数版本.)
            again = fingerprint(calculator_version=calculator_version, facts=facts,
                                parameters=parameters_part(recomputed.parameters))
            compare_provenance(problems, stored_version=calculator_version, current_version=entry.version,
                               stored_fingerprint=stored, recomputed_fingerprint=again,
                               reproduces=entry.reproduces)
        # Stored before fingerprints existed: the result is still recomputed, only the fingerprint is missing.
        outcome_add(outcome, record, problems)
    return outcome


VERIFIER = Verifier(kind=KIND, label="待遇测算决定", queryset=determinations, check=check, chunk_size=5000, order=10)
