from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.enterprise_size import EnterpriseSizeFacts, calculate

AS_OF = date(2024, 12, 31)


def size(industry, employees=None, revenue=None, assets=None, december=None):
    return EnterpriseSizeFacts(
        facts_year=2024,
        industry=industry,
        employees=employees,
        revenue=None if revenue is None else Decimal(revenue),
        total_assets=None if assets is None else Decimal(assets),
        insured_headcount_december=december,
    )


SIZE_CASES = [
    (size("industrial", 1000, "40000"), "large"),
    (size("industrial", 999, "50000"), "medium"),  # large needs both bounds
    (size("industrial", 1000, "39999.99"), "medium"),
    (size("industrial", 300, "2000"), "medium"),
    (size("industrial", 299, "2000"), "small"),
    (size("industrial", 300, "1999"), "small"),
    (size("industrial", 20, "300"), "small"),
    (size("industrial", 19, "300"), "micro"),
    (size("industrial", 20, "299"), "micro"),
    (size("construction", None, "80000", "80000"), "large"),
    (size("construction", None, "6000", "5000"), "medium"),
    (size("construction", None, "300", "299"), "micro"),
    (size("wholesale", 200, "40000"), "large"),
    (size("wholesale", 5, "1000"), "small"),
    (size("retail", 50, "500"), "medium"),
    (size("retail", 9, "100"), "micro"),
    (size("transport", 300, "3000"), "medium"),
    (size("warehousing", 20, "100"), "small"),
    (size("postal", 1000, "30000"), "large"),
    (size("accommodation_catering", 100, "2000"), "medium"),
    (size("telecom", 2000, "100000"), "large"),
    (size("software_it", 10, "50"), "small"),
    (size("real_estate_development", None, "200000", "10000"), "large"),
    (size("real_estate_development", None, "100", "1999"), "micro"),
    (size("property_management", 100, "500"), "small"),
    (size("leasing_business_services", 300, None, "120000"), "large"),
    (size("agriculture", None, "500"), "medium"),
    (size("agriculture", None, "49"), "micro"),
    (size("other", 300), "large"),
    (size("other", 100), "medium"),
    (size("other", 10), "small"),
    (size("other", 9), "micro"),
    # Unknown figures: the bound is skipped and the known figures decide.
    (size("industrial", 1000), "large"),
    (size("industrial", 300), "medium"),
    (size("industrial", 5), "micro"),
    (size("construction", None, None, "90000"), "large"),
    (size("leasing_business_services", 300), "large"),
    # Nothing known for any test: no test is met.
    (size("industrial"), "micro"),
    (size("agriculture", 5000), "micro"),  # employees are not an agriculture figure
    # Employees unknown: December insured headcount of the facts year stands in.
    (size("industrial", None, "3000", december=350), "medium"),
    (size("industrial", 10, "3000", december=350), "micro"),  # a known figure wins
]


@pytest.mark.parametrize(("facts", "expected"), SIZE_CASES)
def test_size_class(snapshot, facts, expected):
    result = calculate(facts, snapshot(AS_OF))
    assert result.eligible
    assert result.data["size_class"] == expected
    assert [p.key for p in result.parameters] == ["enterprise_size.thresholds"]


def test_unknown_revenue_is_said_in_the_explanation(snapshot):
    result = calculate(size("industrial", 1200), snapshot(AS_OF))
    steps = {s.label: s for s in result.steps}
    assert steps["缺失数据"].formula == "营业收入未知：相应指标跳过，仅按已知指标划型（假设）"
    assert steps["大型企业标准"].formula == "从业人员 1,200 ≥ 1,000人；营业收入未知（跳过）"
    assert steps["划型结果"].value == "大型企业"
    assert result.data["unknown_figures"] == ("revenue",)


def test_unknown_revenue_and_assets_are_both_named(snapshot):
    result = calculate(size("construction"), snapshot(AS_OF))
    assert result.data["size_class"] == "micro"
    assert result.data["unknown_figures"] == ("assets", "revenue")
    assert any(s.formula.startswith("资产总额、营业收入未知") for s in result.steps)


def test_december_headcount_fallback_is_explained(snapshot):
    result = calculate(size("industrial", None, "3000", december=350), snapshot(AS_OF))
    assert result.steps[0].formula == "从业人员数未知，按2024年12月参保人数计"
    assert result.data["employees"] == 350
    assert result.data["unknown_figures"] == ()


def test_all_known_figures_give_no_missing_data_step(snapshot):
    result = calculate(size("industrial", 500, "5000"), snapshot(AS_OF))
    assert "缺失数据" not in [s.label for s in result.steps]


def test_unknown_industry_is_not_classified(snapshot):
    result = calculate(size("mining", 500), snapshot(AS_OF))
    assert not result.eligible
    assert [r.code for r in result.reasons] == ["unknown_industry"]
    assert result.data["size_class"] is None


def test_table_is_data(snapshot):
    table = {
        "other": {
            "name": "其他",
            "large": {"employees": 50},
            "medium": {"employees": 20},
            "small": {"employees": 5},
        }
    }
    result = calculate(size("other", 60), snapshot(AS_OF, enterprise_size__thresholds=table))
    assert result.data["size_class"] == "large"
