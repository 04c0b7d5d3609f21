from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts, calculate

AS_OF = date(2024, 12, 31)  # refund year 2025 reads facts and parameters of 2024

BASE = StableJobRefundFacts(
    facts_year=2024,
    entity_type="enterprise",
    size_class="medium",
    months_paid_in_full=12,
    has_arrears=False,
    serious_dishonesty=False,
    headcount_start=100,
    headcount_end=100,
    contributions_paid=Decimal("100000.00"),
)


def facts(**changes):
    return replace(BASE, **changes)


RATE_CASES = [
    ({"size_class": "large"}, "30000.00", "30"),
    ({"size_class": "medium"}, "60000.00", "60"),
    ({"size_class": "small"}, "60000.00", "60"),
    ({"size_class": "micro"}, "60000.00", "60"),
    # Organisations that follow the SME policy get 60% whatever their size.
    ({"entity_type": "law_firm", "size_class": "large"}, "60000.00", "60"),
    ({"entity_type": "accounting_firm", "size_class": "large"}, "60000.00", "60"),
    ({"entity_type": "social_org", "size_class": None}, "60000.00", "60"),
    ({"entity_type": "foundation", "size_class": None}, "60000.00", "60"),
    ({"entity_type": "social_service_org", "size_class": "large"}, "60000.00", "60"),
    ({"entity_type": "individual_business", "size_class": None}, "60000.00", "60"),
    # Half-up at the fen: 30% × 100.35 = 30.105 -> 30.11 (half-even would give 30.10).
    ({"size_class": "large", "contributions_paid": Decimal("100.35")}, "30.11", "30"),
    ({"size_class": "large", "contributions_paid": Decimal("100.31")}, "30.09", "30"),  # 30.093
    ({"contributions_paid": Decimal("0.00")}, "0.00", "60"),
]


@pytest.mark.parametrize(("changes", "amount", "rate"), RATE_CASES)
def test_refund_rate_by_entity_type_and_size(snapshot, changes, amount, rate):
    result = calculate(facts(**changes), snapshot(AS_OF))
    assert result.eligible is True
    assert result.reasons == ()
    assert result.amount == Decimal(amount)
    assert str(result.amount) == amount
    assert result.data["rate_percent"] == Decimal(rate)


CONDITION_CASES = [
    ({"months_paid_in_full": 12}, True, ()),
    ({"months_paid_in_full": 13}, True, ()),
    ({"months_paid_in_full": 11}, False, ("insufficient_months",)),
    ({"months_paid_in_full": 0}, False, ("insufficient_months",)),
    ({"has_arrears": True}, False, ("arrears",)),
    ({"serious_dishonesty": True}, False, ("serious_dishonesty",)),
    # 30 (inclusive) or fewer at the start of the year: up to 20% may be laid off.
    ({"headcount_start": 30, "headcount_end": 24}, True, ()),  # exactly 20%
    ({"headcount_start": 30, "headcount_end": 23}, False, ("layoff_rate_exceeded",)),  # 23.33%
    ({"headcount_start": 30, "headcount_end": 28}, True, ()),  # 6.67%: the 5.5% limit does not apply
    ({"headcount_start": 5, "headcount_end": 4}, True, ()),  # exactly 20%
    ({"headcount_start": 5, "headcount_end": 3}, False, ("layoff_rate_exceeded",)),  # 40%
    # 31 and more: the control target of P, 5.5%.
    ({"headcount_start": 31, "headcount_end": 30}, True, ()),  # 3.23%
    ({"headcount_start": 31, "headcount_end": 29}, False, ("layoff_rate_exceeded",)),  # 6.45%
    ({"headcount_start": 200, "headcount_end": 189}, True, ()),  # exactly 5.5%
    ({"headcount_start": 200, "headcount_end": 188}, False, ("layoff_rate_exceeded",)),  # 6%
    ({"headcount_start": 2000, "headcount_end": 1890}, True, ()),  # exactly 5.5%
    ({"headcount_start": 2000, "headcount_end": 1889}, False, ("layoff_rate_exceeded",)),  # 5.55%
    # No insured staff on 1 January: the layoff rate is 0.
    ({"headcount_start": 0, "headcount_end": 0}, True, ()),
    ({"headcount_start": 0, "headcount_end": 7}, True, ()),
    ({"headcount_start": 100, "headcount_end": 150}, True, ()),  # growth is no layoff
]


@pytest.mark.parametrize(("changes", "eligible", "codes"), CONDITION_CASES)
def test_refund_conditions(snapshot, changes, eligible, codes):
    result = calculate(facts(**changes), snapshot(AS_OF))
    assert result.eligible is eligible
    assert tuple(r.code for r in result.reasons) == codes
    assert result.amount == (Decimal("60000.00") if eligible else Decimal("0.00"))


def test_every_failed_reason_is_reported_not_just_the_first(snapshot):
    result = calculate(
        facts(
            months_paid_in_full=11,
            has_arrears=True,
            serious_dishonesty=True,
            headcount_start=200,
            headcount_end=150,
        ),
        snapshot(AS_OF),
    )
    assert not result.eligible
    assert [r.code for r in result.reasons] == [
        "insufficient_months",
        "arrears",
        "layoff_rate_exceeded",
        "serious_dishonesty",
    ]
    assert result.amount == Decimal("0.00")
    assert result.reasons[0].message == "足额缴纳失业保险费 11 个月，不足 12 个月"
    assert result.reasons[2].message == "裁员率 25.00% 超过上限 5.5%"


def test_public_institution_is_not_covered_and_other_failures_still_reported(snapshot):
    covered = calculate(facts(entity_type="public_institution", size_class=None), snapshot(AS_OF))
    assert not covered.eligible
    assert [r.code for r in covered.reasons] == ["entity_type_not_covered"]
    assert covered.amount == Decimal("0.00")
    assert covered.data["rate_percent"] is None

    both = calculate(facts(entity_type="public_institution", has_arrears=True), snapshot(AS_OF))
    assert [r.code for r in both.reasons] == ["arrears", "entity_type_not_covered"]


def test_steps_show_the_numbers_in_chinese(snapshot):
    result = calculate(facts(size_class="large", headcount_start=120, headcount_end=114), snapshot(AS_OF))
    steps = {s.label: s for s in result.steps}
    assert steps["裁员率"].formula == (
        "(120 − 114) ÷ 120 = 5.00%；30人以上，裁员率上限为上年度全国城镇调查失业率控制目标 5.5%"
    )
    assert steps["返还比例"].formula == "大型企业"
    assert steps["返还金额"].formula == "30% × 100,000.00 = 30,000.00"
    assert steps["返还金额"].value == "30,000.00"


PARAMETER_CASES = [
    (
        {"headcount_start": 20, "headcount_end": 20, "size_class": "large"},
        [
            "stable_job_refund.min_months_paid",
            "stable_job_refund.small_employer_max_headcount",
            "stable_job_refund.small_employer_max_layoff_rate",
            "stable_job_refund.large_enterprise_rate",
        ],
    ),
    (
        {"headcount_start": 31},
        [
            "stable_job_refund.min_months_paid",
            "stable_job_refund.small_employer_max_headcount",
            "stable_job_refund.unemployment_control_target",
            "stable_job_refund.sme_rate",
        ],
    ),
    (
        {"entity_type": "public_institution"},
        [
            "stable_job_refund.min_months_paid",
            "stable_job_refund.small_employer_max_headcount",
            "stable_job_refund.unemployment_control_target",
        ],
    ),
]


@pytest.mark.parametrize(("changes", "keys"), PARAMETER_CASES)
def test_result_lists_exactly_the_parameters_used(snapshot, changes, keys):
    result = calculate(facts(**changes), snapshot(AS_OF))
    assert [p.key for p in result.parameters] == keys


@pytest.mark.parametrize("facts_year", [2023, 2024, 2025])
def test_control_target_of_each_facts_year(snapshot, facts_year):
    params = snapshot(date(facts_year, 12, 31))
    result = calculate(facts(facts_year=facts_year, headcount_start=200, headcount_end=189), params)
    assert result.eligible
    target = next(p for p in result.parameters if p.key == "stable_job_refund.unemployment_control_target")
    assert (target.value, target.valid_from, target.valid_to) == (
        Decimal("5.5"),
        date(facts_year, 1, 1),
        date(facts_year, 12, 31),
    )


def test_control_target_rows_switch_at_the_year_boundary(snapshot):
    before = snapshot(date(2023, 12, 31)).get("stable_job_refund.unemployment_control_target")
    after = snapshot(date(2024, 1, 1)).get("stable_job_refund.unemployment_control_target")
    assert before.version != after.version
    assert (before.valid_to, after.valid_from) == (date(2023, 12, 31), date(2024, 1, 1))


def test_no_control_target_entered_for_2026_yet(snapshot):
    with pytest.raises(MissingParameter) as error:
        calculate(facts(facts_year=2026), snapshot(date(2026, 12, 31)))
    assert error.value.key == "stable_job_refund.unemployment_control_target"
    assert "缺少政策参数" in str(error.value)


def test_limit_comes_from_the_parameter(snapshot):
    params = snapshot(AS_OF, stable_job_refund__unemployment_control_target=Decimal("6.0"))
    assert calculate(facts(headcount_start=200, headcount_end=188), params).eligible  # 6% ≤ 6.0%


def test_snapshot_of_another_year_is_refused(snapshot):
    with pytest.raises(ValueError, match="不在事实年度"):
        calculate(facts(facts_year=2023), snapshot(AS_OF))


@pytest.mark.parametrize(
    "changes",
    [{"size_class": None}, {"size_class": "huge"}, {"entity_type": "ministry"}, {"headcount_end": -1}],
)
def test_invalid_facts_raise(snapshot, changes):
    with pytest.raises(ValueError):
        calculate(facts(**changes), snapshot(AS_OF))


def test_rules_are_compiled_once_per_snapshot(snapshot, monkeypatch):
    params = snapshot(AS_OF)
    calculate(BASE, params)
    monkeypatch.setattr(params, "get", lambda key: pytest.fail("parameters read again"))
    assert calculate(facts(size_class="large"), params).amount == Decimal("30000.00")
