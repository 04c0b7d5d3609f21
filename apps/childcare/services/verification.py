"""Childcare's verifier: an operating-subsidy claim recomputed from its stored inputs and parameter versions.

A claim's figures come from counting child-months (the facts) and the R3 calculator (the decision). The
claim stores what the calculator was given, part by part (`inputs`), so the decision can be recomputed
later without counting again — and its fingerprint, so a changed input or parameter value is noticed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from apps.childcare.models import OperatingSubsidyClaim
from apps.eligibility.calculators import childcare_operating
from apps.eligibility.calculators.base import MissingParameter, ParameterValue, year_end
from apps.eligibility.fingerprints import (
    VersionMissing,
    fingerprint,
    parameters_part,
    parameters_part_for_versions,
    snapshot_from_versions,
    version_id_list,
)
from apps.eligibility.models import PolicyParameter
from apps.eligibility.verification import (
    ChunkOutcome,
    Verifier,
    compare,
    compare_provenance,
    outcome_add,
    since_start,
)

KIND = "childcare_claim"


def claim_inputs(claim: OperatingSubsidyClaim) -> list[dict[str, Any]]:
    """[{label, facts}] of the calculator calls behind the claim's explanation."""
    # A part computed for a year before the scheme existed carries no figures (no_scheme_in_force): its facts
    # are unknown, and recomputing it gives the same "no scheme" result.
    return [{"label": part.get("label", ""),
             "facts": {"year": claim.year, "category": part["data"].get("category"),
                       "region_code": part["data"].get("region_code"),
                       "child_months": part["data"].get("child_months"),
                       # Parts stored before the certification fact was recorded were all computed as certified.
                       "inclusive_certified": part["data"].get("inclusive_certified", True),
                       # The counts of each month (calculator VERSION 3); parts of VERSION 2 stored a total only.
                       **({"monthly_child_months": part["data"]["monthly_child_months"]}
                          if "monthly_child_months" in part["data"] else {})}}
            for part in claim.explanation]


def part_facts(inputs: dict[str, Any]) -> childcare_operating.ChildcareOperatingFacts:
    """A stored part's facts as the calculator takes them (the monthly counts are stored as a JSON list)."""
    facts = dict(inputs)
    if facts.get("monthly_child_months") is not None:
        facts["monthly_child_months"] = tuple(facts["monthly_child_months"])
    return childcare_operating.ChildcareOperatingFacts(**facts)


def claim_fingerprint_store(claim: OperatingSubsidyClaim) -> None:
    """Put the inputs, the calculator version and the fingerprint on a freshly computed claim (caller saves)."""
    claim.inputs = claim_inputs(claim)
    claim.calculator_version = childcare_operating.VERSION
    claim.fingerprint = fingerprint(calculator_version=claim.calculator_version, facts={"parts": claim.inputs},
                                    parameters=parameters_part_for_versions(claim.parameter_versions.values()))


def claims(since: date | None) -> QuerySet:
    queryset = OperatingSubsidyClaim.objects.all()
    start = since_start(since)
    return queryset.filter(computed_at__gte=start) if start else queryset


def check(lo: int, hi: int, since: date | None) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = list(claims(since).filter(id__gte=lo, id__lt=hi).order_by("id"))
    versions = {v for claim in rows for v in version_id_list(claim.parameter_versions.values())}
    parameters = PolicyParameter.objects.in_bulk(list(versions))
    for claim in rows:
        outcome.checked += 1
        record = f"托育补助申报 #{claim.pk}（机构 {claim.institution_id}，{claim.year}年）"
        if not claim.fingerprint:
            outcome.unverifiable += 1
            continue
        problems: list[str] = []
        try:
            snapshot = snapshot_from_versions(as_of=year_end(claim.year), versions=claim.parameter_versions.values(),
                                              rows=parameters)
            parts = [childcare_operating.calculate(part_facts(part["facts"]), snapshot) for part in claim.inputs]
        except (VersionMissing, MissingParameter, ValueError, TypeError, KeyError, ArithmeticError) as error:
            outcome_add(outcome, record, [f"无法按存储的输入重算：{error}"])
            continue
        compare(problems, "金额", claim.amount, sum((r.amount for r in parts), Decimal("0.00")))
        compare(problems, "在托人月数", claim.child_months, sum(part["facts"]["child_months"] for part in claim.inputs))
        compare(problems, "分项", [(p.get("eligible"), Decimal(p.get("amount", "0"))) for p in claim.explanation],
                [(r.eligible, r.amount) for r in parts])
        again = fingerprint(calculator_version=claim.calculator_version, facts={"parts": claim.inputs},
                            parameters=parameters_part(snapshot_values(snapshot, claim.parameter_versions)))
        compare_provenance(problems, stored_version=claim.calculator_version,
                           current_version=childcare_operating.VERSION, stored_fingerprint=claim.fingerprint,
                           recomputed_fingerprint=again, reproduces=childcare_operating.REPRODUCES)
        outcome_add(outcome, record, problems)
    return outcome


def snapshot_values(snapshot, versions: dict[str, Any]) -> list:
    """The values of the claim's stored versions, from the snapshot built of them: a key stored at several
    versions (or at one not in force on 31 December) has them in its months."""
    values: list[ParameterValue] = []
    for key, stored in versions.items():
        by_id = {str(v.version): v for v in snapshot.monthly(key) if v is not None}
        if key in snapshot:
            by_id[str(snapshot.get(key).version)] = snapshot.get(key)
        values.extend(by_id[str(pk)] for pk in (stored if isinstance(stored, list) else [stored]) if str(pk) in by_id)
    return values


VERIFIER = Verifier(kind=KIND, label="托育补助申报", queryset=claims, check=check, chunk_size=2000, order=30)
