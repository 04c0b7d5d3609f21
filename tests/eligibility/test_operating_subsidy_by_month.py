"""Issue 12 fault 7 for the operating subsidy (普惠托育服务补助): it is paid per child-month, so each month's
child-months are paid at the rate table in force for that month (base.month_version: the version in force
on the month's first day; a version starting mid-month applies from the next month's first day), summed
exactly and rounded half-up to the fen once. The explanation lists every rate with its months and
child-months; the result names every version it used.

The shipped fixture has one version of the rate table: the second versions here are test-local values,
not policy.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.eligibility.calculators import childcare_operating
from apps.eligibility.calculators.base import FactRefused, ParameterSnapshot, month_version
from apps.eligibility.calculators.childcare_operating import ChildcareOperatingFacts

TABLE = "childcare_operating.annual_rate_table"
DISTRICTS = "childcare_operating.changchun_urban_districts"


def _table_with(base, private_inclusive_urban: str):
    value = copy.deepcopy(base.value)
    value["private_inclusive"]["changchun_urban"] = private_inclusive_urban
    return value


def two_versions(snapshot, starts: date, old_rate: str = "3600", new_rate: str = "4800",
                 year: int = 2025) -> ParameterSnapshot:
    """The shipped table (private_inclusive urban at `old_rate`) until the day before `starts`, a test-local
    version at `new_rate` from `starts`; the months of `year` by the one month rule (base.month_version)."""
    shipped = snapshot(date(year, 12, 31))
    base = shipped.get(TABLE)
    old = dataclasses.replace(base, value=_table_with(base, old_rate), valid_to=starts - timedelta(days=1),
                              version="old")
    new = dataclasses.replace(base, value=_table_with(base, new_rate), valid_from=starts, valid_to=None,
                              version="new")
    months = tuple(month_version([old, new], year, m, lambda c, day: c.applies_on(day)) for m in range(1, 13))
    as_of = date(year, 12, 31)
    in_force = next(v for v in (new, old) if v.applies_on(as_of))
    return ParameterSnapshot(as_of, {TABLE: in_force, DISTRICTS: shipped.get(DISTRICTS)}, monthly={TABLE: months})


def facts(monthly, year=2025, category="private_inclusive", region="220102", **more) -> ChildcareOperatingFacts:
    return ChildcareOperatingFacts(year=year, category=category, region_code=region, child_months=sum(monthly),
                                   monthly_child_months=tuple(monthly), **more)


TEN = (10,) * 12


@pytest.mark.parametrize(("starts", "monthly", "amount", "versions"), [
    # a new rate from 1 July: 6 months at each rate — 3600 × 60 ÷ 12 + 4800 × 60 ÷ 12
    (date(2025, 7, 1), TEN, "42000.00", ["old", "new"]),
    # a change on 1 January: the year of the change is all new …
    (date(2025, 1, 1), TEN, "48000.00", ["new"]),
    # … and the year before it all old
    (date(2026, 1, 1), TEN, "36000.00", ["old"]),
    # from 1 December: 11 months old, 1 month new — 3600 × 110 ÷ 12 + 4800 × 10 ÷ 12
    (date(2025, 12, 1), TEN, "37000.00", ["old", "new"]),
    # from 15 July: July is paid at the rate of 1 July (old), the new one from 1 August: 7 + 5 months
    (date(2025, 7, 15), TEN, "41000.00", ["old", "new"]),
    # a month with no child-months pays nothing at either rate (June empty: 5 months old)
    (date(2025, 7, 1), (10, 10, 10, 10, 10, 0, 10, 10, 10, 10, 10, 10), "39000.00", ["old", "new"]),
    # every old-rate month empty: only the new rate was applied
    (date(2025, 7, 1), (0,) * 6 + (10,) * 6, "24000.00", ["new"]),
    # uneven months: 3600 × (1+2+3+4+5+6) ÷ 12 + 4800 × (7+8+9+10+11+12) ÷ 12 = 6300 + 22800
    (date(2025, 7, 1), tuple(range(1, 13)), "29100.00", ["old", "new"]),
])
def test_each_month_is_paid_at_the_rate_in_force_for_it(snapshot, starts, monthly, amount, versions):
    result = childcare_operating.calculate(facts(monthly), two_versions(snapshot, starts))
    assert result.eligible and str(result.amount) == amount
    assert [p.version for p in result.parameters if p.key == TABLE] == versions
    assert result.data["child_months"] == sum(monthly)


def test_rounded_once_at_the_end(snapshot):
    # 3602 ÷ 12 = 300.1666… and 4802 ÷ 12 = 400.1666…: rounding each part would pay 700.34; the exact sum
    # 8404 ÷ 12 = 700.333… pays 700.33.
    params = two_versions(snapshot, date(2025, 7, 1), old_rate="3602", new_rate="4802")
    result = childcare_operating.calculate(facts((1,) + (0,) * 5 + (1,) + (0,) * 5), params)
    assert result.amount == Decimal("700.33")


def test_the_explanation_lists_each_rate_with_its_months_and_child_months(snapshot):
    result = childcare_operating.calculate(facts(TEN), two_versions(snapshot, date(2025, 7, 1)))
    text = "\n".join(f"{s.label}：{s.formula} = {s.value}" for s in result.steps)
    assert "2025年1月至6月" in text and "2025年7月至12月" in text
    assert "3,600.00 元/人·年 × 60 人·月" in text and "4,800.00 元/人·年 × 60 人·月" in text
    assert "版本 old" in text and "版本 new" in text
    assert "(3,600.00 × 60 + 4,800.00 × 60) ÷ 12 = 42,000.00" in text
    assert [p["version"] for p in result.to_dict()["parameters"] if p["key"] == TABLE] == ["old", "new"]


def test_one_rate_all_year_keeps_the_single_formula(snapshot):
    result = childcare_operating.calculate(facts((0,) * 5 + (1,) * 7), snapshot(date(2025, 12, 31)))
    assert result.amount == Decimal("2100.00")
    assert result.steps[1].formula == "3,600.00 × 7 人·月 ÷ 12 = 2,100.00"


def test_months_before_the_scheme_are_not_paid(snapshot):
    """A scheme that begins on 1 July (test-local): child-months before it are left unpaid, and said so."""
    shipped = snapshot(date(2025, 12, 31))
    table = dataclasses.replace(shipped.get(TABLE), valid_from=date(2025, 7, 1))
    params = ParameterSnapshot(date(2025, 12, 31), {TABLE: table, DISTRICTS: shipped.get(DISTRICTS)})
    result = childcare_operating.calculate(facts(TEN), params)
    assert result.amount == Decimal("18000.00")  # 3600 × 60 ÷ 12
    assert any("60 人·月" in s.formula and "施行前" in s.formula for s in result.steps)


@pytest.mark.parametrize(("monthly", "total", "field", "code"), [
    ((10,) * 11, 110, "monthly_child_months", "wrong_month_count"),
    ((10,) * 11 + (-1,), 109, "monthly_child_months", "negative"),
    (TEN, 119, "child_months", "monthly_sum_mismatch"),
])
def test_impossible_monthly_counts_are_refused_with_the_field_named(snapshot, monthly, total, field, code):
    bad = ChildcareOperatingFacts(year=2025, category="private_inclusive", region_code="220102", child_months=total,
                                  monthly_child_months=monthly)
    with pytest.raises(FactRefused) as refused:
        childcare_operating.calculate(bad, snapshot(date(2025, 12, 31)))
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_total_alone_is_refused_when_the_rate_changed_during_the_year(snapshot):
    total_only = ChildcareOperatingFacts(year=2025, category="private_inclusive", region_code="220102",
                                         child_months=120)
    with pytest.raises(FactRefused) as refused:
        childcare_operating.calculate(total_only, two_versions(snapshot, date(2025, 7, 1)))
    assert (refused.value.field, refused.value.code) == ("monthly_child_months", "monthly_counts_required")
    assert "7月" in refused.value.message


def test_a_total_alone_with_one_rate_all_year_is_paid_as_before(snapshot):
    """Facts stored by VERSION 2 (a total, no months) recompute exactly as they were decided."""
    total_only = ChildcareOperatingFacts(year=2025, category="private_inclusive", region_code="220104",
                                         child_months=7)
    result = childcare_operating.calculate(total_only, snapshot(date(2025, 12, 31)))
    assert result.amount == Decimal("2100.00")
    assert result.steps[1].formula == "3,600.00 × 7 人·月 ÷ 12 = 2,100.00"
    assert "2" in childcare_operating.REPRODUCES
