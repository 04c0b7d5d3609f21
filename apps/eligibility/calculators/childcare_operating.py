"""R3 — operating subsidy for inclusive childcare institutions (普惠托育服务补助), Jilin.

annual rate (by institution category × Changchun urban district or elsewhere) × child-months ÷ 12.
A child counts once per month: `count_child_months` turns enrollment records into that number.
The snapshot is taken as of 31 December of the subsidy year.

Who needs a 普惠 certification: the source pays 公办 institutions as such — “对差额补助公办托育服务机构……；
对自收自支类公办、普惠民办托育服务机构……” — and a 民办 one only as 普惠民办, i.e. for the months its 普惠
certification is valid. So the certification fact gates `private_inclusive` alone; a 公办 institution is paid
whatever its certification says (吉林省提振消费专项行动实施方案, 吉林省人民政府办公厅).
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
    scheme_in_force,
    year_end,
)

NAME = "childcare-operating-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "2"  # 2: only 普惠民办 needs a 普惠 certification (issue 12 fault 3); the fact is in the result data

# The categories (keys of childcare_operating.annual_rate_table) subsidised only while certified 普惠. Not a
# number but the rule's shape (what “普惠民办” means), so it lives with the rule; the rates stay parameters.
CERTIFICATION_REQUIRED = frozenset({"private_inclusive"})


def requires_inclusive_certification(category: str) -> bool:
    """Whether the institution category is paid only for months with a valid 普惠 certification."""
    return category in CERTIFICATION_REQUIRED


@dataclass(frozen=True)
class ChildcareOperatingFacts:
    year: int
    category: str  # a key of childcare_operating.annual_rate_table, e.g. "private_inclusive"
    region_code: str  # the institution's county-level code (6 digits or longer)
    child_months: int  # distinct (child, month) pairs enrolled in `year`
    # The 普惠 certification was valid in those months. Read for the categories that require it (普惠民办)
    # only; the default keeps facts stored before this field existed recomputing as they were decided.
    inclusive_certified: bool = True


def snapshot_date(facts: ChildcareOperatingFacts) -> date:
    return year_end(facts.year)


def count_child_months(enrolled: Iterable[tuple[Hashable, date]], year: int) -> int:
    """(child id, any day the child was enrolled) records -> child-months in `year`."""
    return len({(child, day.month) for child, day in enrolled if day.year == year})


@scheme_in_force(NAME)
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
    needs_certificate = requires_inclusive_certification(facts.category)
    if rate == 0:
        reasons.append(Reason("category_not_subsidised", f"{row['name']}不享受普惠托育服务补助"))
    elif needs_certificate and not facts.inclusive_certified:
        reasons.append(Reason("inclusive_certification_missing",
                              f"{row['name']}须在普惠认定有效期内方可享受补助，该部分月份不在有效期内"))
    if facts.child_months == 0:
        reasons.append(Reason("no_enrolled_child_months", f"{facts.year}年无在托月数"))
    eligible = not reasons
    if needs_certificate:
        certification = Step("普惠认定", "普惠民办机构须在普惠认定有效期内",
                             "普惠认定在有效期内" if facts.inclusive_certified else "不在普惠认定有效期内")
    elif rate:  # a subsidised category without the 普惠 condition: the 公办 ones
        certification = Step("普惠认定", "公办机构不以普惠认定为条件", "不适用")
    else:
        certification = Step("普惠认定", f"{row['name']}不享受补助", "不适用")
    steps = (
        Step("补助标准", f"{row['name']}，{area}（{facts.region_code}）", f"{format_money(rate)} 元/人·年"),
        Step(
            "补助金额",
            f"{format_money(rate)} × {facts.child_months} 人·月 ÷ 12 = {format_money(exact)}",
            format_money(amount),
        ),
        certification,
    )
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount if eligible else ZERO,
        reasons=tuple(reasons),
        steps=steps,
        parameters=(table, districts),
        data={"annual_rate": rate, "changchun_urban": urban, "child_months": facts.child_months,
              "inclusive_certification_required": needs_certificate,
              "category": facts.category, "region_code": facts.region_code,
              "inclusive_certified": facts.inclusive_certified},
    )
