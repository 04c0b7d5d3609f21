"""R3 births programmes (issue 16): 二孩、三孩生育奖励, 边境村生育奖励 and 儿童养育补贴 — administrator-entered amounts
(示例值 shipped), the birth date against the scheme's first version, the birth order 1/2/3/4 and the region list."""

from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.base import FactRefused
from apps.eligibility.calculators.birth_reward import BirthRewardFacts
from apps.eligibility.calculators.birth_reward import calculate as reward
from apps.eligibility.calculators.border_village_birth import BorderVillageBirthFacts
from apps.eligibility.calculators.border_village_birth import calculate as border
from apps.eligibility.calculators.child_rearing import ChildRearingFacts
from apps.eligibility.calculators.child_rearing import calculate as rearing

START = date(2025, 1, 1)  # the shipped (example) first version of every births parameter


def codes(result):
    return tuple(r.code for r in result.reasons)


@pytest.mark.parametrize(("born", "order", "eligible", "amount", "reasons"), [
    (date(2024, 12, 31), 2, False, "0.00", ("no_scheme_in_force",)),  # born the day before the scheme
    (START, 1, False, "0.00", ("birth_order_not_covered",)),
    (START, 2, True, "2000.00", ()),
    (START, 3, True, "5000.00", ()),
    (START, 4, False, "0.00", ("birth_order_not_covered",)),  # not in the table unless the administrator adds it
    (date(2026, 3, 8), 3, True, "5000.00", ()),
])
def test_birth_reward_by_birth_order_and_birth_date(born, order, eligible, amount, reasons, snapshot):
    result = reward(BirthRewardFacts(child_birth_date=born, birth_order=order), snapshot(born))
    assert (result.eligible, str(result.amount), codes(result)) == (eligible, amount, reasons)


def test_birth_reward_reads_the_table_and_explains_it(snapshot):
    table = {"2": {"name": "二孩", "amount": "1000.005"}, "4": {"name": "四孩", "amount": "8000"}}
    params = snapshot(START, birth_reward__amount_by_order=table)
    assert str(reward(BirthRewardFacts(START, 2), params).amount) == "1000.01"  # half-up to the fen
    assert str(reward(BirthRewardFacts(START, 4), params).amount) == "8000.00"  # an added 四孩 row pays
    assert codes(reward(BirthRewardFacts(START, 3), params)) == ("birth_order_not_covered",)
    result = reward(BirthRewardFacts(START, 3), snapshot(START))
    text = " ".join(f"{s.label} {s.formula} {s.value}" for s in result.steps)
    assert "第3个子女" in text and "三孩 5,000.00 元" in text and "5,000.00" in result.steps[-1].value
    assert [p.key for p in result.parameters] == ["birth_reward.amount_by_order"]


def test_a_birth_order_below_one_is_refused(snapshot):
    with pytest.raises(FactRefused) as error:
        reward(BirthRewardFacts(START, 0), snapshot(START))
    assert (error.value.field, error.value.code) == ("birth_order", "birth_order_invalid")


@pytest.mark.parametrize(("born", "region", "eligible", "reasons"), [
    (date(2024, 12, 31), "222404", False, ("no_scheme_in_force",)),
    (START, "222404", True, ()),  # 珲春市, on the list
    (START, "222404001", True, ()),  # a village code below a listed county
    (START, "220582", True, ()),  # 集安市
    (START, "222401", False, ("not_border_village",)),  # 延吉市: same prefecture, not on the list
    (START, "220102", False, ("not_border_village",)),  # 南关区
    (START, "2224", False, ("not_border_village",)),  # the prefecture above a listed county is not covered
])
def test_border_village_reward_inside_and_outside_the_list(born, region, eligible, reasons, snapshot):
    result = border(BorderVillageBirthFacts(child_birth_date=born, region_code=region), snapshot(born))
    assert (result.eligible, codes(result)) == (eligible, reasons)
    assert result.amount == (Decimal("3000.00") if eligible else Decimal("0.00"))


def test_the_border_list_is_a_parameter(snapshot):
    params = snapshot(START, border_village_birth__regions=("220102",), border_village_birth__amount=Decimal("88.8"))
    result = border(BorderVillageBirthFacts(START, "220102"), params)
    assert (result.eligible, str(result.amount)) == (True, "88.80")
    assert {p.key for p in result.parameters} == {"border_village_birth.regions", "border_village_birth.amount"}
    assert "220102" in result.steps[0].formula and "在名单内" in result.steps[0].value


@pytest.mark.parametrize(("year", "born", "order", "eligible", "amount", "reasons"), [
    (2024, date(2024, 6, 1), 2, False, "0.00", ("no_scheme_in_force",)),
    (2025, date(2025, 9, 18), 1, False, "0.00", ("birth_order_below_minimum",)),
    (2025, date(2025, 9, 18), 2, True, "400.00", ()),  # September to December: 1200 × 4 ÷ 12
    (2025, date(2025, 9, 18), 3, True, "400.00", ()),
    (2025, date(2025, 9, 18), 4, True, "400.00", ()),
    (2025, date(2022, 10, 20), 2, True, "900.00", ()),  # born before the start: January to September 2025
    (2025, date(2022, 1, 15), 2, False, "0.00", ("no_eligible_months",)),  # 3 in January: no month left
    (2028, date(2025, 9, 18), 2, True, "800.00", ()),  # the 3rd-birthday month is not paid
])
def test_child_rearing_by_birth_order_and_months_under_the_age_limit(year, born, order, eligible, amount, reasons,
                                                                      snapshot):
    result = rearing(ChildRearingFacts(year=year, child_birth_date=born, birth_order=order), snapshot(date(year, 12, 31)))
    assert (result.eligible, str(result.amount), codes(result)) == (eligible, amount, reasons)


def test_child_rearing_reads_its_parameters(snapshot):
    params = snapshot(date(2025, 12, 31), child_rearing__min_birth_order=1, child_rearing__annual_amount=Decimal("2400"))
    result = rearing(ChildRearingFacts(2025, date(2025, 9, 18), 1), params)
    assert (result.eligible, str(result.amount)) == (True, "800.00")
    text = " ".join(f"{s.label} {s.formula} {s.value}" for s in result.steps)
    assert "2,400.00 × 4 ÷ 12" in text and "2025年9月至2025年12月" in text
    assert {p.key for p in result.parameters} == {"child_rearing.annual_amount", "child_rearing.start_date",
                                                   "child_rearing.age_limit_years", "child_rearing.min_birth_order"}
