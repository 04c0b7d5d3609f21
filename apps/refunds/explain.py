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
from apps.eligibility.calculators.base import MissingParameter, ParameterSnapshot, Result
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.parameters import VersionsUnavailable, parameter_snapshot
from apps.employers.refund_facts import enterprise_size_facts, refund_facts
from apps.refunds.models import RefundResult
from apps.refunds.snapshots import build_snapshot

NOT_REPRODUCIBLE = "该结果无法按存储的参数版本重现："


@dataclass(frozen=True)
class Explanation:
    facts: StableJobRefundFacts | None
    size: Result | None
    refund: Result | None
    # Chinese, for the page: why the stored row cannot be explained (a version deleted or changed behind the
    # service's back). The stored decision itself still shows; the steps and the notice do not.
    problem: str = ""

    @property
    def steps(self):
        return (self.size.steps + self.refund.steps) if self.size and self.refund else ()

    @property
    def parameters(self):
        return (self.size.parameters + self.refund.parameters) if self.size and self.refund else ()


def result_explain(result: RefundResult, params: ParameterSnapshot | None = None) -> Explanation:
    """The steps of a stored row, recomputed from its stored facts with the run's stored parameter versions.

    Never raises for a damaged version: the explanation then carries `problem` instead of steps."""
    run = result.run
    try:
        # Rebuilt from the database, not the per-process cache: a page must see a version as it is now.
        params = params or build_snapshot(year=run.year, versions=run.parameter_versions, overrides=run.overrides)
        return _explain(result, params)
    except (VersionsUnavailable, MissingParameter) as error:
        return Explanation(facts=None, size=None, refund=None,
                           problem=f"{NOT_REPRODUCIBLE}{error}。存储的决定如上所示；请联系管理员核查参数版本。")


def _explain(result: RefundResult, params: ParameterSnapshot) -> Explanation:
    run = result.run
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
        # A version's value changed in place (or the calculator changed): say so, never show other steps.
        stored = f"{result.amount} 元（{'符合' if result.eligible else '不符合'}条件）"
        now = f"{refund.amount} 元（{'符合' if refund.eligible else '不符合'}条件）"
        return Explanation(facts=facts, size=None, refund=None, problem=(
            f"{NOT_REPRODUCIBLE}按本批次记录的参数版本重算为 {now}，与存储的结果 {stored} 不一致，"
            "参数版本的值可能已被改动。存储的决定如上所示；请联系管理员核查参数版本。"))
    return Explanation(facts=facts, size=size, refund=refund)


def employer_explain(*, employer_id: int, year: int, params: ParameterSnapshot | None = None) -> Explanation | None:
    """Live: the facts an official run would gather today for this employer, and the decision on them."""
    if params is None:
        params = parameter_snapshot(as_of=date(year - 1, 12, 31))
    for _employer_id, facts, size in refund_facts(employer_ids=[employer_id], year=year, params=params):
        return Explanation(facts=facts, size=size, refund=stable_job_refund.calculate(facts, params))
    return None
