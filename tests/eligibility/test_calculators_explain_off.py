"""`explain=False` (the refund batch's decision-only path) decides exactly as `explain=True`.

Every table case of both calculators, plus the single-case tests' facts and a grid over the refund rule's
edges, runs in both modes; everything but the steps and the reasons' messages must be identical.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import product

import pytest

from apps.eligibility.calculators import enterprise_size, stable_job_refund

from .test_calculators_enterprise_size import AS_OF as SIZE_AS_OF
from .test_calculators_enterprise_size import SIZE_CASES, size
from .test_calculators_stable_job_refund import AS_OF, CONDITION_CASES, PARAMETER_CASES, RATE_CASES, facts


def decision(result):
    """Everything a batch stores or reconciles: all of the Result except steps and reason messages."""
    return (result.calculator, result.eligible, result.amount, str(result.amount),
            tuple(r.code for r in result.reasons), result.parameters, dict(result.data),
            {k: str(v) for k, v in result.data.items()})


def assert_same(calculate, facts_, params):
    full = calculate(facts_, params)
    fast = calculate(facts_, params, explain=False)
    assert decision(fast) == decision(full)
    assert fast.steps == ()
    assert full.steps or not full.eligible  # the explained path still explains
    return full


SIZE_EXTRA = [size("mining", 500), size("construction"), size("industrial", None, "3000", december=350)]


@pytest.mark.parametrize("facts_", [case[0] for case in SIZE_CASES] + SIZE_EXTRA)
def test_enterprise_size_table_cases_in_both_modes(snapshot, facts_):
    assert_same(enterprise_size.calculate, facts_, snapshot(SIZE_AS_OF))


def test_enterprise_size_expected_classes_hold_without_explanation(snapshot):
    params = snapshot(SIZE_AS_OF)
    for facts_, expected in SIZE_CASES:
        assert enterprise_size.calculate(facts_, params, explain=False).data["size_class"] == expected


REFUND_CHANGES = (
    [case[0] for case in RATE_CASES]
    + [case[0] for case in CONDITION_CASES]
    + [case[0] for case in PARAMETER_CASES]
    + [
        {"months_paid_in_full": 11, "has_arrears": True, "serious_dishonesty": True, "headcount_start": 200,
         "headcount_end": 150},
        {"entity_type": "public_institution", "size_class": None},
        {"entity_type": "public_institution", "has_arrears": True},
        {"size_class": "large", "headcount_start": 120, "headcount_end": 114},
    ]
)


@pytest.mark.parametrize("changes", REFUND_CHANGES)
def test_stable_job_refund_table_cases_in_both_modes(snapshot, changes):
    assert_same(stable_job_refund.calculate, facts(**changes), snapshot(AS_OF))


@pytest.mark.parametrize("facts_year", [2023, 2024, 2025])
def test_stable_job_refund_every_facts_year_in_both_modes(snapshot, facts_year):
    assert_same(stable_job_refund.calculate, facts(facts_year=facts_year, headcount_start=200, headcount_end=189),
                snapshot(date(facts_year, 12, 31)))


def test_stable_job_refund_grid_in_both_modes(snapshot):
    params = snapshot(AS_OF)
    grid = product(
        ["enterprise", "public_institution", "law_firm"],
        ["large", "micro"],
        [0, 11, 12],
        [False, True],
        [False, True],
        [(0, 0), (0, 9), (5, 4), (5, 3), (30, 24), (31, 29), (200, 189), (200, 188), (7, 7)],
        [Decimal("0.00"), Decimal("100.35"), Decimal("123456.78")],
    )
    for entity, size_class, months, arrears, dishonest, (start, end), paid in grid:
        case = replace(facts(), entity_type=entity, size_class=size_class, months_paid_in_full=months,
                       has_arrears=arrears, serious_dishonesty=dishonest, headcount_start=start, headcount_end=end,
                       contributions_paid=paid)
        assert_same(stable_job_refund.calculate, case, params)


def test_fast_path_reasons_keep_their_codes(snapshot):
    result = stable_job_refund.calculate(
        facts(months_paid_in_full=11, has_arrears=True, serious_dishonesty=True, headcount_start=200,
              headcount_end=150),
        snapshot(AS_OF), explain=False)
    assert [r.code for r in result.reasons] == [
        "insufficient_months", "arrears", "layoff_rate_exceeded", "serious_dishonesty"]
    assert all(r.message for r in result.reasons)
