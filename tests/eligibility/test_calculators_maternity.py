from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.maternity import MaternityFacts, calculate

DELIVERY = date(2025, 6, 1)


def facts(flexible_worker=True, months=12, delivery=DELIVERY):
    return MaternityFacts(
        delivery_date=delivery, flexible_worker=flexible_worker, continuous_enrollment_months=months
    )


@pytest.mark.parametrize(
    ("facts", "eligible", "amount", "codes"),
    [
        # 83% × 7,500.00 = 6,225.00; 6,225.00 ÷ 30 × 98 = 20,335.00
        (facts(months=12), True, "20335.00", ()),
        (facts(months=30), True, "20335.00", ()),
        (facts(months=11), False, "0.00", ("insufficient_enrollment_months",)),
        (facts(flexible_worker=False), False, "0.00", ("not_flexible_worker",)),
        (
            facts(flexible_worker=False, months=0),
            False,
            "0.00",
            ("not_flexible_worker", "insufficient_enrollment_months"),
        ),
    ],
)
def test_maternity_allowance(snapshot, facts, eligible, amount, codes):
    result = calculate(facts, snapshot(DELIVERY))
    assert result.eligible is eligible
    assert str(result.amount) == amount
    assert tuple(r.code for r in result.reasons) == codes


def test_steps_show_base_and_allowance(snapshot):
    result = calculate(facts(), snapshot(DELIVERY))
    assert [(s.label, s.formula, s.value) for s in result.steps] == [
        ("连续参保月数", "12 个月（规定 ≥ 12 个月）", "符合"),
        ("缴费基数", "83% × 7,500.00 = 6,225.00", "6,225.00"),
        ("生育津贴", "6,225.00 ÷ 30 × 98 天 = 20,335.00", "20,335.00"),
    ]
    assert result.data["contribution_base"] == Decimal("6225.00")
    assert result.data["required_enrollment_months"] == 12


def test_rounds_half_up_once_at_the_end(snapshot):
    # 83% × 6,022.50 = 4,998.675 (not rounded); × 98 ÷ 30 = 16,329.005 exactly -> 16,329.01.
    # Rounding the base first would give 16,329.02; half-even at the end 16,329.00.
    params = snapshot(DELIVERY, social__provincial_average_monthly_wage=Decimal("6022.50"))
    assert calculate(facts(), params).amount == Decimal("16329.01")


def test_continuous_enrollment_requirement_is_a_parameter_and_recorded(snapshot):
    params = snapshot(DELIVERY, maternity__continuous_enrollment_months=24)
    result = calculate(facts(months=12), params)
    assert not result.eligible
    assert result.reasons[0].message == "连续参保 12 个月，少于规定的 24 个月"
    assert result.data["required_enrollment_months"] == 24
    assert any(p.key == "maternity.continuous_enrollment_months" and p.value == 24 for p in result.parameters)


@pytest.mark.parametrize(
    ("as_of", "in_force"),
    [(date(2025, 4, 30), False), (date(2025, 5, 1), True), (date(2025, 5, 2), True)],
)
def test_83_percent_base_in_force_from_its_valid_from(snapshot, as_of, in_force):
    params = snapshot(as_of)
    if in_force:
        assert calculate(facts(delivery=as_of), params).amount == Decimal("20335.00")
    else:
        # Issue 12 fault 6: before the first version is "no scheme in force", not a missing parameter.
        result = calculate(facts(delivery=as_of), params)
        assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]
        assert "maternity.contribution_base_rate" in result.steps[0].formula


def test_result_lists_the_parameters_used(snapshot):
    result = calculate(facts(), snapshot(DELIVERY))
    assert [p.key for p in result.parameters] == [
        "social.provincial_average_monthly_wage",
        "maternity.contribution_base_rate",
        "maternity.daily_base_divisor",
        "maternity.allowance_days",
        "maternity.continuous_enrollment_months",
    ]
