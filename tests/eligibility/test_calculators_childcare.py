import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators import childcare_operating, childcare_subsidy
from apps.eligibility.calculators.childcare_operating import ChildcareOperatingFacts, count_child_months
from apps.eligibility.calculators.childcare_subsidy import ChildcareSubsidyFacts

# ------------------------------------------------------------ national childcare subsidy


@pytest.mark.parametrize(
    ("year", "born", "months", "amount"),
    [
        (2025, date(2025, 3, 15), 10, "3000.00"),  # birth month counts: March–December
        (2025, date(2025, 1, 1), 12, "3600.00"),
        (2025, date(2025, 12, 31), 1, "300.00"),
        (2025, date(2024, 12, 31), 12, "3600.00"),  # born before 2025: paid only from 2025-01
        (2025, date(2024, 6, 10), 12, "3600.00"),
        (2025, date(2022, 10, 20), 9, "2700.00"),  # turns 3 on 2025-10-20: January–September
        (2025, date(2022, 12, 31), 11, "3300.00"),
        (2025, date(2022, 2, 28), 1, "300.00"),  # January 2025 only
        (2025, date(2022, 1, 31), 0, "0.00"),  # turns 3 in January 2025
        (2025, date(2021, 6, 1), 0, "0.00"),
        (2025, date(2026, 1, 1), 0, "0.00"),  # not yet born
        (2026, date(2023, 5, 5), 4, "1200.00"),  # turns 3 in May 2026
        (2028, date(2025, 3, 15), 2, "600.00"),  # 10 + 12 + 12 + 2 = 36 months in all
        (2027, date(2025, 3, 15), 12, "3600.00"),
    ],
)
def test_national_childcare_subsidy(snapshot, year, born, months, amount):
    result = childcare_subsidy.calculate(
        ChildcareSubsidyFacts(year=year, child_birth_date=born), snapshot(date(year, 12, 31))
    )
    assert result.data["months"] == months
    assert str(result.amount) == amount
    assert result.eligible is (months > 0)
    assert [r.code for r in result.reasons] == ([] if months else ["no_eligible_months"])


def test_subsidy_steps_name_the_months(snapshot):
    result = childcare_subsidy.calculate(
        ChildcareSubsidyFacts(2025, date(2022, 10, 20)), snapshot(date(2025, 12, 31))
    )
    assert (
        result.steps[0].formula == "2025-01-01起、出生当月起至满3周岁当月前，2025年内：2025年1月至2025年9月"
    )
    assert result.steps[1].formula == "3,600.00 × 9 ÷ 12 = 2,700.00"


@pytest.mark.parametrize(("as_of", "in_force"), [(date(2024, 12, 31), False), (date(2025, 1, 1), True)])
def test_subsidy_parameters_start_on_2025_01_01(snapshot, as_of, in_force):
    facts = ChildcareSubsidyFacts(as_of.year, date(2024, 3, 1))
    if in_force:
        assert childcare_subsidy.calculate(facts, snapshot(as_of)).amount == Decimal("3600.00")
    else:
        # Issue 12 fault 6: before the first version is "no scheme in force", not a missing parameter.
        result = childcare_subsidy.calculate(facts, snapshot(as_of))
        assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]


def test_subsidy_months_before_the_start_date_are_not_paid(snapshot):
    # A later start date (parameter) cuts the months, whatever the snapshot date.
    params = snapshot(date(2025, 12, 31), childcare_subsidy__start_date=date(2025, 7, 1))
    result = childcare_subsidy.calculate(ChildcareSubsidyFacts(2025, date(2024, 1, 1)), params)
    assert (result.data["months"], result.amount) == (6, Decimal("1800.00"))


def test_subsidy_rounds_half_up_at_the_end(snapshot):
    params = snapshot(date(2025, 12, 31), childcare_subsidy__annual_amount=Decimal("3600.06"))
    result = childcare_subsidy.calculate(ChildcareSubsidyFacts(2025, date(2022, 2, 1)), params)
    assert result.data["months"] == 1
    assert result.amount == Decimal("300.01")  # 300.005 exactly


def test_subsidy_refuses_a_snapshot_of_another_year(snapshot):
    with pytest.raises(ValueError):
        childcare_subsidy.calculate(
            ChildcareSubsidyFacts(2026, date(2025, 1, 1)), snapshot(date(2025, 12, 31))
        )


# ------------------------------------------------------------ operating subsidy of institutions


def operating(category, region, child_months, year=2025):
    return ChildcareOperatingFacts(
        year=year, category=category, region_code=region, child_months=child_months
    )


@pytest.mark.parametrize(
    ("facts", "urban", "amount"),
    [
        (operating("public_partial_funded", "220102", 12), True, "2400.00"),
        (operating("public_partial_funded", "220122", 12), False, "1800.00"),  # 农安县
        (operating("public_self_financed", "220113", 12), True, "3600.00"),  # 九台区
        (operating("public_self_financed", "220201", 12), False, "2400.00"),  # 吉林市
        (operating("private_inclusive", "220106", 12), True, "3600.00"),
        (operating("private_inclusive", "220182", 12), False, "2400.00"),  # 榆树市
        # Pro-rated by child-months: rate × child-months ÷ 12.
        (operating("private_inclusive", "220104", 7), True, "2100.00"),
        (operating("private_inclusive", "220104", 1), True, "300.00"),
        (operating("public_partial_funded", "220122", 5), False, "750.00"),
        (operating("public_partial_funded", "220102", 25), True, "5000.00"),  # 25 child-months (3 children)
        (operating("private_inclusive", "220103", 600), True, "180000.00"),  # 50 children all year
        (operating("private_inclusive", "220102001", 12), True, "3600.00"),  # township code inside 南关区
        (
            operating("private_inclusive", "220100", 12),
            False,
            "2400.00",
        ),  # 长春市 as a whole is not a district
    ],
)
def test_operating_subsidy(snapshot, facts, urban, amount):
    result = childcare_operating.calculate(facts, snapshot(date(2025, 12, 31)))
    assert result.eligible
    assert result.data["changchun_urban"] is urban
    assert str(result.amount) == amount


@pytest.mark.parametrize(
    ("facts", "codes"),
    [
        (operating("other", "220102", 12), ["category_not_subsidised"]),
        (operating("private_inclusive", "220102", 0), ["no_enrolled_child_months"]),
        (operating("other", "220122", 0), ["category_not_subsidised", "no_enrolled_child_months"]),
    ],
)
def test_operating_subsidy_not_paid(snapshot, facts, codes):
    result = childcare_operating.calculate(facts, snapshot(date(2025, 12, 31)))
    assert not result.eligible
    assert [r.code for r in result.reasons] == codes
    assert result.amount == Decimal("0.00")


def test_operating_steps(snapshot):
    result = childcare_operating.calculate(
        operating("private_inclusive", "220104", 7), snapshot(date(2025, 12, 31))
    )
    assert result.steps[0].formula == "普惠民办托育服务机构，长春市城区（220104）"
    assert result.steps[1].formula == "3,600.00 × 7 人·月 ÷ 12 = 2,100.00"


def test_changchun_urban_districts_are_a_parameter(snapshot):
    params = snapshot(
        date(2025, 12, 31),
        childcare_operating__changchun_urban_districts=("220102", "220103", "220104", "220105", "220106"),
    )
    result = childcare_operating.calculate(operating("private_inclusive", "220113", 12), params)
    assert (result.data["changchun_urban"], result.amount) == (False, Decimal("2400.00"))


def test_shipped_changchun_urban_districts(snapshot):
    districts = snapshot(date(2025, 12, 31)).get("childcare_operating.changchun_urban_districts").value
    assert districts == ("220102", "220103", "220104", "220105", "220106", "220112", "220113")


def test_a_child_counts_once_per_month():
    enrolled = [
        ("a", date(2025, 3, 1)),
        ("a", date(2025, 3, 15)),  # same child, same month
        ("a", date(2025, 4, 2)),
        ("b", date(2025, 3, 31)),
        ("b", date(2024, 3, 31)),  # another year
    ]
    assert count_child_months(enrolled, 2025) == 3


def test_unknown_category_is_an_error(snapshot):
    with pytest.raises(ValueError):
        childcare_operating.calculate(operating("hospital", "220102", 12), snapshot(date(2025, 12, 31)))


# 公办 institutions (差额补助, 自收自支) are paid as such; only a 民办 one needs a valid 普惠 certification
# (吉林省提振消费专项行动实施方案: “对差额补助公办托育服务机构…；对自收自支类公办、普惠民办托育服务机构…”).
@pytest.mark.parametrize(
    ("category", "certified", "amount", "codes"),
    [
        ("public_partial_funded", True, "2400.00", []),
        ("public_partial_funded", False, "2400.00", []),
        ("public_self_financed", True, "3600.00", []),
        ("public_self_financed", False, "3600.00", []),
        ("private_inclusive", True, "3600.00", []),
        ("private_inclusive", False, "0.00", ["inclusive_certification_missing"]),
        ("other", True, "0.00", ["category_not_subsidised"]),
        ("other", False, "0.00", ["category_not_subsidised"]),
    ],
)
def test_operating_subsidy_by_category_and_certification(snapshot, category, certified, amount, codes):
    facts = dataclasses.replace(operating(category, "220102", 12), inclusive_certified=certified)
    result = childcare_operating.calculate(facts, snapshot(date(2025, 12, 31)))
    assert [r.code for r in result.reasons] == codes
    assert result.eligible is (not codes)
    assert str(result.amount) == amount


@pytest.mark.parametrize(
    ("category", "certified", "text"),
    [
        ("public_partial_funded", False, "公办机构不以普惠认定为条件"),
        ("public_self_financed", True, "公办机构不以普惠认定为条件"),
        ("private_inclusive", True, "普惠认定在有效期内"),
        ("private_inclusive", False, "不在普惠认定有效期内"),
    ],
)
def test_operating_steps_say_whether_certification_was_a_condition(snapshot, category, certified, text):
    facts = dataclasses.replace(operating(category, "220102", 12), inclusive_certified=certified)
    result = childcare_operating.calculate(facts, snapshot(date(2025, 12, 31)))
    assert any(text in f"{s.formula} {s.value}" for s in result.steps)


def test_only_private_inclusive_requires_certification():
    assert {c for c in ("public_partial_funded", "public_self_financed", "private_inclusive", "other")
            if childcare_operating.requires_inclusive_certification(c)} == {"private_inclusive"}
