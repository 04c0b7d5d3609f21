"""Refunds' verifier: every stored result row recomputed from its stored facts with its run's stored versions.

The same calculators as the run (explain=False), the snapshot rebuilt from the database for each chunk
(never the per-process cache: a parameter value changed since must show), and the row's fingerprint
recomputed in the same pass. One query per chunk for the rows, a few for the runs' parameters.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from apps.eligibility.calculators import enterprise_size, stable_job_refund
from apps.eligibility.calculators.base import MissingParameter, ParameterSnapshot, Result
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.verification import ChunkOutcome, Verifier, compare_provenance, outcome_add, since_start
from apps.employers.refund_facts import enterprise_size_facts
from apps.refunds import fingerprints
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.services.computing import _versions_text
from apps.refunds.snapshots import build_snapshot

KIND = "refund"

FIELDS = ("id", "run_id", "employer_id", "entity_type", "industry", "employees", "revenue_10k", "assets_10k",
          "months_paid_in_full", "has_arrears", "serious_dishonesty", "headcount_start", "headcount_end",
          "contributions_paid", "size_class", "eligible", "reasons", "rate", "amount", "parameter_versions",
          "calculator_version", "fingerprint")


def results(since: date | None) -> QuerySet:
    queryset = RefundResult.objects.all()
    start = since_start(since)
    return queryset.filter(run__created_at__gte=start) if start else queryset


def _rate(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def check(lo: int, hi: int, since: date | None) -> ChunkOutcome:
    outcome = ChunkOutcome()
    rows = results(since).filter(id__gte=lo, id__lt=hi).order_by("id").values_list(*FIELDS)
    runs: dict[int, tuple[RefundRun, ParameterSnapshot | None, str]] = {}
    sizes: dict[tuple, Result] = {}
    memo: dict[tuple[int, int, int], tuple] = {}
    facts_json = fingerprints.facts_json
    for (pk, run_id, employer_id, entity_type, industry, employees, revenue, assets, months, arrears, dishonesty,
         start, end, paid, size_class, eligible, reasons, rate, amount, versions, calculator_version,
         stored) in rows.iterator(chunk_size=5000):
        outcome.checked += 1
        if run_id not in runs:
            run = RefundRun.objects.get(pk=run_id)
            try:
                runs[run_id] = (run, build_snapshot(year=run.year, versions=run.parameter_versions,
                                                    overrides=run.overrides), "")
            except Exception as error:  # noqa: BLE001 — any failure to rebuild is a finding, not a crash
                runs[run_id] = (run, None, f"无法按存储的参数版本重建参数：{error}")
        run, params, failure = runs[run_id]
        record = f"稳岗返还结果 #{pk}（批次 {run_id}，单位 {employer_id}）"
        if params is None:
            outcome_add(outcome, record, [failure])
            continue
        problems: list[str] = []
        try:
            key = (run_id, industry, employees, revenue, assets, end if employees is None else None)
            size = sizes.get(key)
            if size is None:
                size = sizes[key] = enterprise_size.calculate(enterprise_size_facts(
                    facts_year=run.facts_year, industry=industry, employees=employees, revenue=revenue,
                    total_assets=assets, insured_headcount_december=end), params, explain=False)
            facts = StableJobRefundFacts(
                facts_year=run.facts_year, entity_type=entity_type, size_class=size.data["size_class"],
                months_paid_in_full=months, has_arrears=arrears, serious_dishonesty=dishonesty,
                headcount_start=start, headcount_end=end, contributions_paid=paid)
            result = stable_job_refund.calculate(facts, params, explain=False)
        except (MissingParameter, ValueError, TypeError, ArithmeticError) as error:
            outcome_add(outcome, record, [f"无法按存储的输入重算：{error}"])
            continue
        if size_class != facts.size_class:
            problems.append(f"企业划型：存储 {size_class}，重算 {facts.size_class}")
        if eligible != result.eligible:
            problems.append(f"是否符合：存储 {eligible}，重算 {result.eligible}")
        if amount != result.amount:
            problems.append(f"金额：存储 {amount}，重算 {result.amount}")
        codes = ";".join(reason.code for reason in result.reasons)
        if reasons != codes:
            problems.append(f"原因：存储 {reasons or '无'}，重算 {codes or '无'}")
        if _rate(rate) != _rate(result.data["rate_percent"]):
            problems.append(f"返还比例：存储 {rate}，重算 {result.data['rate_percent']}")
        entry_key = (run_id, id(result.parameters), id(size.parameters))
        entry = memo.get(entry_key)
        if entry is None:
            used = result.parameters + size.parameters
            # The tuples are kept in the entry so their ids cannot be reused within the chunk.
            entry = memo[entry_key] = (_versions_text(used), fingerprints.template(used), result.parameters,
                                       size.parameters)
        if versions != entry[0]:
            problems.append(f"参数版本：存储 {versions}，重算 {entry[0]}")
        if stored:
            again = entry[1].of(facts_json(
                entity_type=entity_type, industry=industry, employees=employees, revenue_10k=revenue,
                assets_10k=assets, months_paid_in_full=months, has_arrears=arrears,
                serious_dishonesty=dishonesty, headcount_start=start, headcount_end=end, contributions_paid=paid))
            compare_provenance(problems, stored_version=calculator_version,
                               current_version=fingerprints.CALCULATOR_VERSION, stored_fingerprint=stored,
                               recomputed_fingerprint=again)
        outcome_add(outcome, record, problems)
    return outcome


VERIFIER = Verifier(kind=KIND, label="稳岗返还结果", queryset=results, check=check, chunk_size=50_000, order=20)
