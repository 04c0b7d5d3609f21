"""A new version of one result from corrected facts (an upheld objection, apps.refunds.objections).

The corrected values are checked as the calculator's own inputs are (apps.eligibility's `build_facts` and
choice check of the stable-job-refund facts), the row is decided by `compute_row_from_facts` — the run's
calculators with the run's stored parameter versions — and written as version n+1 that `supersedes` the old
row; the old row stays, `is_current=False`. The run's totals are recounted from the current rows.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from apps.core.exceptions import ApplicationError
from apps.core.money_sql import MoneySum
from apps.eligibility.calculator_fields import calculator_fields, choice_errors
from apps.eligibility.calculators.registry import CALCULATORS, FactsError, build_facts
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.services.computing import COLUMNS, compute_row_from_facts
from apps.refunds.snapshots import build_snapshot

logger = logging.getLogger(__name__)

CALCULATOR = "stable-job-refund"
# The facts of the refund calculator (R1) a caseworker may correct; size class and facts year are derived.
CORRECTABLE = ("entity_type", "months_paid_in_full", "has_arrears", "serious_dishonesty", "headcount_start",
               "headcount_end", "contributions_paid")


def _stored(result: RefundResult) -> dict[str, Any]:
    """The row's facts as the calculator's JSON input (money as text)."""
    return {"facts_year": result.run.facts_year, "entity_type": result.entity_type, "size_class": result.size_class,
            "months_paid_in_full": result.months_paid_in_full, "has_arrears": result.has_arrears,
            "serious_dishonesty": result.serious_dishonesty, "headcount_start": result.headcount_start,
            "headcount_end": result.headcount_end, "contributions_paid": f"{Decimal(result.contributions_paid):.2f}"}


def corrected_facts(result: RefundResult, corrected: dict) -> StableJobRefundFacts:
    """The row's facts with `corrected` applied, validated like the calculator's inputs; field errors else."""
    errors: dict[str, list[str]] = {name: ["不可更正的事实"] for name in corrected if name not in CORRECTABLE}
    data = {**_stored(result), **{k: v for k, v in corrected.items() if k in CORRECTABLE}}
    try:
        facts = build_facts(StableJobRefundFacts, data)
    except FactsError as error:
        for name, message in error.errors.items():
            errors.setdefault(name, []).append(message)
        facts = None
    for name, message in choice_errors(calculator_fields(CALCULATORS[CALCULATOR]), data).items():
        errors.setdefault(name, []).append(message)
    if facts is not None:
        for name in ("months_paid_in_full", "headcount_start", "headcount_end", "contributions_paid"):
            if getattr(facts, name) < 0:
                errors.setdefault(name, []).append("不能为负数")
        if facts.contributions_paid != facts.contributions_paid.quantize(Decimal("0.01")):
            errors.setdefault("contributions_paid", []).append("金额最多两位小数")
        if facts.contributions_paid >= Decimal("1e12"):
            errors.setdefault("contributions_paid", []).append("金额过大")
    if errors or facts is None:
        raise ApplicationError("invalid_facts", "更正后的事实有误，请检查", {f"corrected_facts.{k}": v
                                                                     for k, v in errors.items()})
    return facts


def run_recount(run: RefundRun) -> None:
    """The run's control totals from its current rows (exact on SQLite too: MoneySum)."""
    totals = RefundResult.objects.filter(run=run).aggregate(
        n_eligible=Count("id", filter=Q(eligible=True)), total=MoneySum("amount", filter=Q(eligible=True)))
    run.eligible_count, run.total_amount = totals["n_eligible"], totals["total"] or Decimal(0)


@transaction.atomic
def result_supersede(*, run_id: int, employer_id: int, corrected: dict, user, note: str) -> RefundResult:
    run = RefundRun.objects.select_for_update().get(pk=run_id)
    old = RefundResult.objects.select_for_update().select_related("run").get(run=run, employer_id=employer_id)
    facts = corrected_facts(old, corrected)
    params = build_snapshot(year=run.year, versions=run.parameter_versions, overrides=run.overrides)
    row = compute_row_from_facts(
        run, params, employer_id=old.employer_id, region_code=old.region_code, entity_type=facts.entity_type,
        industry=old.industry, employees=old.employees, revenue_10k=old.revenue_10k, assets_10k=old.assets_10k,
        months_paid_in_full=facts.months_paid_in_full, has_arrears=facts.has_arrears,
        serious_dishonesty=facts.serious_dishonesty, headcount_start=facts.headcount_start,
        headcount_end=facts.headcount_end, contributions_paid=facts.contributions_paid)
    RefundResult.all_versions.filter(pk=old.pk).update(is_current=False)
    new = RefundResult.all_versions.create(**dict(zip(COLUMNS, row, strict=True)), version=old.version + 1,
                                           supersedes=old, is_current=True)
    run_recount(run)
    run._change_reason = f"异议成立，单位 {employer_id} 的结果更正为第 {new.version} 版"[:100]
    run.save(update_fields=["eligible_count", "total_amount", "updated_at"])
    logger.info("refund result superseded", extra={"run": run.pk, "employer": employer_id, "old": old.pk,
                                                   "new": new.pk, "amount": str(new.amount), "note": note[:200]})
    return new
