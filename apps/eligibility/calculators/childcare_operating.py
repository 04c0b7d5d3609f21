"""R3 — operating subsidy for inclusive childcare institutions (普惠托育服务补助), Jilin.

annual rate (by institution category × Changchun urban district or elsewhere) × child-months ÷ 12.
A child counts once per month: `count_child_months` turns enrollment records into that number.
The snapshot is taken as of 31 December of the subsidy year.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import (
    ZERO,
    ParameterSnapshot,
    Reason,
    Result,
    Step,
    format_money,
    require_snapshot_year,
    round_money,
    year_end,
)

NAME = "childcare-operating-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class ChildcareOperatingFacts:
    year: int
    category: str  # a key of childcare_operating.annual_rate_table, e.g. "private_inclusive"
    region_code: str  # the institution's county-level code (6 digits or longer)
    child_months: int  # distinct (child, month) pairs enrolled in `year`


def snapshot_date(facts: ChildcareOperatingFacts) -> date:
    return year_end(facts.year)


def count_child_months(enrolled: Iterable[tuple[Hashable, date]], year: int) -> int:
    """(child id, any day the child was enrolled) records -> child-months in `year`."""
    return len({(child, day.month) for child, day in enrolled if day.year == year})


def calculate(facts: ChildcareOperatingFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    if facts.child_months < 0:
        raise ValueError("child_months 不能为负数")
    table = params.get("childcare_operating.annual_rate_table")
    districts = params.get("childcare_operating.changchun_urban_districts")
    try:
        row = table.value[facts.category]
    except KeyError:
        raise ValueError(f"未知的托育机构类别：{facts.category}") from None

    # Township-level codes start with their district's 6 digits.
    urban = facts.region_code[:6] in districts.value
    rate = Decimal(row["changchun_urban" if urban else "elsewhere"])
    area = "长春市城区" if urban else "其他地区"
    exact = rate * facts.child_months / 12
    amount = round_money(exact)

    reasons = []
    if rate == 0:
        reasons.append(Reason("category_not_subsidised", f"{row['name']}不享受普惠托育服务补助"))
    if facts.child_months == 0:
        reasons.append(Reason("no_enrolled_child_months", f"{facts.year}年无在托月数"))
    eligible = not reasons
    steps = (
        Step("补助标准", f"{row['name']}，{area}（{facts.region_code}）", f"{format_money(rate)} 元/人·年"),
        Step(
            "补助金额",
            f"{format_money(rate)} × {facts.child_months} 人·月 ÷ 12 = {format_money(exact)}",
            format_money(amount),
        ),
    )
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount if eligible else ZERO,
        reasons=tuple(reasons),
        steps=steps,
        parameters=(table, districts),
        data={"annual_rate": rate, "changchun_urban": urban, "child_months": facts.child_months,
              "category": facts.category, "region_code": facts.region_code},
    )
