from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.maternity import MaternityFacts, calculate

# The shipped (example) 2024 wage was published on 2025-06-30: base, rate and benefits apply from 2025-07-01.
DELIVERY = date(2025, 8, 1)
WAGE_TABLE = "social.provincial_average_wage_by_year"


def facts(flexible_worker=True, months=12, delivery=DELIVERY, base=None):
    return MaternityFacts(
        delivery_date=delivery, flexible_worker=flexible_worker, continuous_enrollment_months=months,
        contribution_base=base,
    )


def wages(*rows):
    """(wage year, monthly wage, published on) → the table parameter's value."""
    return {str(year): {"monthly_wage": wage, "published_on": published} for year, wage, published in rows}


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
        ("缴费基数（未登记本人缴费基数，按上年度社平工资比例）", "83% × 7,500.00 = 6,225.00", "6,225.00"),
        ("生育津贴", "6,225.00 ÷ 30 × 98 天 = 20,335.00", "20,335.00"),
        ("适用社平工资", "2024年度全省社平工资 7,500.00 元/月，2025-06-30 公布，2025-07-01 起适用",
         "2025-08-01 分娩，适用"),
    ]
    assert result.data["contribution_base"] == Decimal("6225.00")
    assert result.data["required_enrollment_months"] == 12


def test_rounds_half_up_once_at_the_end(snapshot):
    # 83% × 6,022.50 = 4,998.675 (not rounded); × 98 ÷ 30 = 16,329.005 exactly -> 16,329.01.
    # Rounding the base first would give 16,329.02; half-even at the end 16,329.00.
    params = snapshot(DELIVERY, social__provincial_average_wage_by_year=wages((2024, "6022.50", "2025-06-30")))
    result = calculate(facts(), params)
    assert result.amount == Decimal("16329.01")
    # The steps show the numbers the calculation used: the base is 4,998.675, not a rounded 4,998.68.
    assert result.steps[1].formula == "83% × 6,022.50 = 4,998.675"
    assert result.steps[2].formula == "4,998.675 ÷ 30 × 98 天 = 16,329.005，四舍五入到分"


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
def test_other_parts_in_force_from_may_2025(snapshot, as_of, in_force):
    """The parameters of the rest of the notice (days, divisor, enrollment rule) start on 2025-05-01."""
    params = snapshot(as_of)
    assert ("maternity.allowance_days" in params) is in_force
    assert ("maternity.contribution_base_rate" in params) is in_force
    if not in_force:
        # Issue 12 fault 6: before the first version is "no scheme in force", not a missing parameter.
        result = calculate(facts(delivery=as_of), params)
        assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]
        assert "maternity." in result.steps[0].formula


@pytest.mark.parametrize(
    ("delivery", "published", "eligible"),
    [
        (date(2025, 6, 1), "2025-06-30", False),  # the publication month itself: not yet
        (date(2025, 6, 30), "2025-06-30", False),  # the publication day: not yet
        (date(2025, 7, 1), "2025-06-30", True),  # the month after publication
        (date(2025, 7, 31), "2025-06-30", True),
        (date(2025, 6, 30), "2025-06-15", False),
        (date(2025, 7, 1), "2025-06-15", True),
        (date(2025, 5, 1), "2025-04-10", True),  # published in April: everything from May
        (date(2025, 8, 31), "2025-08-01", False),  # published on the 1st: still the month after
        (date(2025, 9, 1), "2025-08-01", True),
    ],
)
def test_base_rate_and_benefits_from_the_month_after_the_wage_is_published(snapshot, delivery, published,
                                                                            eligible):
    params = snapshot(delivery, social__provincial_average_wage_by_year=wages((2024, "7500.00", published)))
    result = calculate(facts(delivery=delivery), params)
    assert result.eligible is eligible
    assert result.amount == (Decimal("20335.00") if eligible else Decimal("0.00"))
    if not eligible:
        assert [r.code for r in result.reasons] == ["benefit_not_in_force"]
        assert published in result.reasons[0].message


def test_shipped_publication_date_is_data(snapshot):
    table = snapshot(DELIVERY).get(WAGE_TABLE).value
    assert table == {"2024": {"monthly_wage": "7500.00", "published_on": "2025-06-30"}}
    assert not calculate(facts(delivery=date(2025, 6, 30)), snapshot(date(2025, 6, 30))).eligible
    assert calculate(facts(delivery=date(2025, 7, 1)), snapshot(date(2025, 7, 1))).eligible


@pytest.mark.parametrize(
    ("delivery", "wage_year", "base"),
    [
        (date(2026, 6, 30), 2024, "6,225.00"),  # the 2025 wage published on 2026-06-20 applies from July
        (date(2026, 7, 1), 2025, "6,640.00"),  # 83% × 8,000.00
        (date(2026, 1, 15), 2024, "6,225.00"),
    ],
)
def test_each_years_wage_applies_from_the_month_after_its_publication(snapshot, delivery, wage_year, base):
    table = wages((2024, "7500.00", "2025-06-30"), (2025, "8000.00", "2026-06-20"))
    result = calculate(facts(delivery=delivery), snapshot(delivery, social__provincial_average_wage_by_year=table))
    assert result.data["wage_year"] == wage_year
    assert result.steps[1].value == base
    assert result.steps[3].label == "适用社平工资"
    assert result.steps[3].formula.startswith(f"{wage_year}年度全省社平工资")


@pytest.mark.parametrize(
    ("base", "amount", "label", "formula"),
    [
        # The person's own base from the enrollment: 6,000.00 ÷ 30 × 98 = 19,600.00.
        (Decimal("6000.00"), "19600.00", "缴费基数（本人参保登记）", "本人参保登记的缴费基数 6,000.00 元/月"),
        # Money rounded to the fen: 6,000.01 × 98 ÷ 30 = 19,600.0327 → 19,600.03.
        (Decimal("6000.005"), "19600.03", "缴费基数（本人参保登记）", "本人参保登记的缴费基数 6,000.01 元/月"),
        (Decimal("0"), "0.00", "缴费基数（本人参保登记）", "本人参保登记的缴费基数 0.00 元/月"),
        # None recorded: 83% of the average wage, and the step says so.
        (None, "20335.00", "缴费基数（未登记本人缴费基数，按上年度社平工资比例）", "83% × 7,500.00 = 6,225.00"),
    ],
)
def test_allowance_on_the_persons_own_base_else_83_percent(snapshot, base, amount, label, formula):
    result = calculate(facts(base=base), snapshot(DELIVERY))
    assert str(result.amount) == amount
    assert (result.steps[1].label, result.steps[1].formula) == (label, formula)
    assert result.data["contribution_base_source"] == ("enrollment" if base is not None else "average_wage")
    used = [p.key for p in result.parameters]
    assert ("maternity.contribution_base_rate" in used) is (base is None)


def test_steps_on_the_own_base_show_the_numbers_used(snapshot):
    result = calculate(facts(base=Decimal("5432.10")), snapshot(DELIVERY))
    # 5,432.10 × 98 ÷ 30 = 17,744.86
    assert result.steps[2].formula == "5,432.10 ÷ 30 × 98 天 = 17,744.86"
    assert str(result.amount) == "17744.86"


def test_a_non_terminating_allowance_is_shown_rounded_and_marked(snapshot):
    result = calculate(facts(base=Decimal("6000.01")), snapshot(DELIVERY))
    assert result.steps[2].formula == "6,000.01 ÷ 30 × 98 天 = 19,600.03（四舍五入到分）"


def test_negative_own_base_is_refused(snapshot):
    with pytest.raises(ValueError):
        calculate(facts(base=Decimal("-1.00")), snapshot(DELIVERY))


def test_result_lists_the_parameters_used(snapshot):
    result = calculate(facts(), snapshot(DELIVERY))
    assert [p.key for p in result.parameters] == [
        "social.provincial_average_wage_by_year",
        "maternity.contribution_base_rate",
        "maternity.daily_base_divisor",
        "maternity.allowance_days",
        "maternity.continuous_enrollment_months",
    ]
