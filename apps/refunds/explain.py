"""The per-employer explanation, regenerated on demand — never stored a million times over.

A stored row keeps the facts, the size figures and the parameter versions; running the same calculators on
them with the run's stored snapshot reproduces the steps exactly (deterministic functions). `employer_explain`
is the live counterpart for other faces: the same facts statement with a one-employer id list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.eligibility.calculators import enterprise_size, stable_job_refund
from apps.eligibility.calculators.base import ParameterSnapshot, Result
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.parameters import parameter_snapshot
from apps.employers.refund_facts import enterprise_size_facts, refund_facts
from apps.refunds.models import RefundResult
from apps.refunds.snapshots import run_snapshot


@dataclass(frozen=True)
class Explanation:
    facts: StableJobRefundFacts
    size: Result
    refund: Result

    @property
    def steps(self):
        return self.size.steps + self.refund.steps


def result_explain(result: RefundResult, params: ParameterSnapshot | None = None) -> Explanation:
    """The steps of a stored row, recomputed from its stored facts with the run's stored parameter versions."""
    run = result.run
    params = params or run_snapshot(run)
    facts_year = run.facts_year
    size = enterprise_size.calculate(enterprise_size_facts(
        facts_year=facts_year, industry=result.industry, employees=result.employees, revenue=result.revenue_10k,
        total_assets=result.assets_10k, insured_headcount_december=result.headcount_end), params)
    facts = StableJobRefundFacts(
        facts_year=facts_year, entity_type=result.entity_type, size_class=result.size_class,
        months_paid_in_full=result.months_paid_in_full, has_arrears=result.has_arrears,
        serious_dishonesty=result.serious_dishonesty, headcount_start=result.headcount_start,
        headcount_end=result.headcount_end, contributions_paid=Decimal(result.contributions_paid))
    refund = stable_job_refund.calculate(facts, params)
    if refund.amount != result.amount or refund.eligible != result.eligible:
        raise AssertionError(f"结果 {result} 无法按存储的参数版本重现")  # would mean a changed calculator
    return Explanation(facts=facts, size=size, refund=refund)


def employer_explain(*, employer_id: int, year: int, params: ParameterSnapshot | None = None) -> Explanation | None:
    """Live: the facts an official run would gather today for this employer, and the decision on them."""
    if params is None:
        params = parameter_snapshot(as_of=date(year - 1, 12, 31))
    for _employer_id, facts, size in refund_facts(employer_ids=[employer_id], year=year, params=params):
        return Explanation(facts=facts, size=size, refund=stable_job_refund.calculate(facts, params))
    return None
