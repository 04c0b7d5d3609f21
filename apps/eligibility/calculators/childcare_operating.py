"""R3 — operating subsidy for inclusive childcare institutions (普惠托育服务补助), Jilin.

annual rate (by institution category × Changchun urban district or elsewhere) × child-months ÷ 12.
A child counts once per month: `monthly_child_months` turns enrollment records into the child-months of each
month. The snapshot is taken as of 31 December of the subsidy year.

The subsidy is per child-month, so each month's child-months are paid at the rate table in force for that
month — the one month rule of base.month_version (the version in force on the month's first day; a version
starting mid-month applies from the next month's first day). A table that changes on 1 July pays January–June
at the old rates and July–December at the new ones; the parts are summed exactly and rounded to the fen once,
the explanation lists each rate with its months and child-months, and the result names every version used.

Who needs a 普惠 certification: the source pays 公办 institutions as such — “对差额补助公办托育服务机构……；
对自收自支类公办、普惠民办托育服务机构……” — and a 民办 one only as 普惠民办, i.e. for the months its 普惠
certification is valid. So the certification fact gates `private_inclusive` alone; a 公办 institution is paid
whatever its certification says (吉林省提振消费专项行动实施方案, 吉林省人民政府办公厅).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .base import (
    ZERO,
    FactRefused,
    ParameterSnapshot,
    ParameterValue,
    Reason,
    Result,
    Step,
    annual_segments,
    format_money,
    require_snapshot_year,
    round_money,
    scheme_in_force,
    year_end,
)

NAME = "childcare-operating-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
# 2: only 普惠民办 needs a 普惠 certification (issue 12 fault 3); the fact is in the result data.
# 3: each month's child-months at the rate table in force for that month (issue 12 fault 7).
VERSION = "3"
# Earlier versions whose stored decisions this code recomputes exactly as they were decided (decisions_verify
# accepts them; their golden cases are kept in the table): VERSION 2 stored a total without months, which is
# still priced as 2 did — at the one rate of the year (and refused, so named, when the rate changed in it).
REPRODUCES = frozenset({"2"})

TABLE_KEY = "childcare_operating.annual_rate_table"
DISTRICTS_KEY = "childcare_operating.changchun_urban_districts"
MONTHS = 12

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
    child_months: int  # distinct (child, month) pairs enrolled in `year` (the sum of the monthly counts)
    # The 普惠 certification was valid in those months. Read for the categories that require it (普惠民办)
    # only; the default keeps facts stored before this field existed recomputing as they were decided.
    inclusive_certified: bool = True
    # The child-months of each month of `year`, January first (12 counts). None — a total alone, as VERSION 2
    # stored it — is paid at the one rate of the year, and refused when the rate table changed during it.
    monthly_child_months: tuple[int, ...] | None = None


def snapshot_date(facts: ChildcareOperatingFacts) -> date:
    return year_end(facts.year)


def count_child_months(enrolled: Iterable[tuple[Hashable, date]], year: int) -> int:
    """(child id, any day the child was enrolled) records -> child-months in `year`."""
    return sum(monthly_child_months(enrolled, year))


def monthly_child_months(enrolled: Iterable[tuple[Hashable, date]], year: int) -> tuple[int, ...]:
    """(child id, any day the child was enrolled) records -> the child-months of each month of `year`,
    January first; a child counts once per month."""
    per_month = Counter(month for _child, month in {(child, day.month) for child, day in enrolled
                                                    if day.year == year})
    return tuple(per_month.get(month, 0) for month in range(1, MONTHS + 1))


@dataclass(frozen=True)
class _Part:
    """Child-months paid at one version of the rate table."""

    version: ParameterValue
    months: str  # "2025年1月至6月"; "" for a total without months
    child_months: int
    row: dict[str, Any]
    rate: Decimal


def _checked_months(facts: ChildcareOperatingFacts) -> tuple[int, ...] | None:
    monthly = facts.monthly_child_months
    if monthly is None:
        return None
    field = "monthly_child_months"
    if len(monthly) != MONTHS:
        raise FactRefused(field, "wrong_month_count", f"应为1月至12月共12个月的在托人·月数，实为{len(monthly)}个")
    if any(isinstance(n, bool) or not isinstance(n, int) for n in monthly):
        raise FactRefused(field, "invalid", "各月在托人·月数应为整数")
    if any(n < 0 for n in monthly):
        raise FactRefused(field, "negative", "各月在托人·月数不能为负数")
    if sum(monthly) != facts.child_months:
        raise FactRefused("child_months", "monthly_sum_mismatch",
                          f"在托人·月数应等于各月之和 {sum(monthly)}，实为 {facts.child_months}")
    return tuple(monthly)


def _identity(version: ParameterValue) -> tuple:
    """A version's identity (a table value is a dict, so the dataclass itself cannot be hashed)."""
    return version.key, str(version.version), version.valid_from


def _row(version: ParameterValue, category: str) -> dict[str, Any]:
    try:
        return version.value[category]
    except KeyError:
        raise ValueError(f"未知的托育机构类别：{category}") from None


def _total_part(facts: ChildcareOperatingFacts, params: ParameterSnapshot, column: str) -> _Part:
    """A total without months: one rate must apply to the whole year (VERSION 2's reading)."""
    segments = annual_segments(params, TABLE_KEY, range(1, MONTHS + 1))
    if facts.child_months and len({_identity(s.version) for s in segments}) > 1:
        changes = "、".join(f"{s.first_month}月起" for s in segments[1:])
        raise FactRefused("monthly_child_months", "monthly_counts_required",
                          f"{facts.year}年补助标准年内有调整（{changes}适用新标准），只有全年合计无法按月计算：请填写各月在托人·月数")
    table = params.get(TABLE_KEY)
    row = _row(table, facts.category)
    return _Part(table, "", facts.child_months, row, Decimal(row[column]))


def _monthly_parts(facts: ChildcareOperatingFacts, monthly: tuple[int, ...], params: ParameterSnapshot,
                   column: str) -> tuple[list[_Part], ParameterValue]:
    """Each run of months at one version with its child-months (runs without any left out), and the version
    that names the rate when no month has child-months (the one in force on 31 December, else the last)."""
    segments = annual_segments(params, TABLE_KEY, range(1, MONTHS + 1))
    parts = []
    for segment in segments:
        counted = sum(monthly[segment.first_month - 1:segment.last_month])
        if counted:
            row = _row(segment.version, facts.category)
            parts.append(_Part(segment.version, segment.label(facts.year), counted, row, Decimal(row[column])))
    reference = params.get(TABLE_KEY) if TABLE_KEY in params else segments[-1].version
    return parts, reference


@scheme_in_force(NAME)
def calculate(facts: ChildcareOperatingFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    if facts.child_months < 0:
        raise ValueError("child_months 不能为负数")
    monthly = _checked_months(facts)
    districts = params.get(DISTRICTS_KEY)
    # Township-level codes start with their district's 6 digits.
    urban = facts.region_code[:6] in districts.value
    column = "changchun_urban" if urban else "elsewhere"
    area = "长春市城区" if urban else "其他地区"

    if monthly is None:
        parts = [_total_part(facts, params, column)]
        shown = parts
    else:
        parts, reference = _monthly_parts(facts, monthly, params, column)
        shown = parts or [_Part(reference, "", 0, _row(reference, facts.category),
                                Decimal(_row(reference, facts.category)[column]))]
    paid_child_months = sum(p.child_months for p in parts)
    not_in_force = facts.child_months - paid_child_months  # months before the scheme (no version that month)
    exact = sum((p.rate * p.child_months for p in parts), ZERO) / MONTHS  # one division, rounded once
    amount = round_money(exact)
    row = shown[-1].row

    reasons = []
    needs_certificate = requires_inclusive_certification(facts.category)
    if all(p.rate == 0 for p in shown):
        reasons.append(Reason("category_not_subsidised", f"{row['name']}不享受普惠托育服务补助"))
    elif needs_certificate and not facts.inclusive_certified:
        reasons.append(Reason("inclusive_certification_missing",
                              f"{row['name']}须在普惠认定有效期内方可享受补助，该部分月份不在有效期内"))
    if facts.child_months == 0:
        reasons.append(Reason("no_enrolled_child_months", f"{facts.year}年无在托月数"))
    elif paid_child_months == 0:
        reasons.append(Reason("no_enrolled_child_months", f"{facts.year}年无政策施行期内的在托月数"))
    eligible = not reasons
    if needs_certificate:
        certification = Step("普惠认定", "普惠民办机构须在普惠认定有效期内",
                             "普惠认定在有效期内" if facts.inclusive_certified else "不在普惠认定有效期内")
    elif any(p.rate for p in shown):  # a subsidised category without the 普惠 condition: the 公办 ones
        certification = Step("普惠认定", "公办机构不以普惠认定为条件", "不适用")
    else:
        certification = Step("普惠认定", f"{row['name']}不享受补助", "不适用")

    standard = f"{row['name']}，{area}（{facts.region_code}）"
    steps: tuple[Step, ...]
    if len(shown) == 1:  # one rate for every month paid: the formula of a year without a change
        rate = shown[0].rate
        steps = (Step("补助标准", standard, f"{format_money(rate)} 元/人·年"),
                 Step("补助金额", f"{format_money(rate)} × {paid_child_months} 人·月 ÷ 12 = {format_money(exact)}",
                      format_money(amount)))
    else:  # the rate changed during the year: each rate with its months and child-months, then the total
        steps = (Step("补助标准", standard, "年内调整"),)
        steps += tuple(
            Step(f"补助标准（{p.months}，版本 {p.version.version}）",
                 f"{format_money(p.rate)} 元/人·年 × {p.child_months} 人·月 ÷ 12",
                 format_money(p.rate * p.child_months / MONTHS)) for p in shown)
        total = " + ".join(f"{format_money(p.rate)} × {p.child_months}" for p in shown)
        steps += (Step("补助金额", f"({total}) ÷ 12 = {format_money(exact)}", format_money(amount)),)
    if not_in_force:
        steps += (Step("政策施行前月份", f"{not_in_force} 人·月在补助政策施行前，不予补助", "0.00"),)
    steps += (certification,)
    used = tuple({_identity(p.version): p.version for p in shown}.values())
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount if eligible else ZERO,
        reasons=tuple(reasons),
        steps=steps,
        parameters=(*used, districts),
        data={"annual_rate": shown[-1].rate, "changchun_urban": urban, "child_months": facts.child_months,
              "inclusive_certification_required": needs_certificate,
              "category": facts.category, "region_code": facts.region_code,
              "inclusive_certified": facts.inclusive_certified,
              **({} if monthly is None else {
                  "monthly_child_months": list(monthly),
                  "rates": [{"months": p.months, "rate": p.rate, "child_months": p.child_months,
                             "version": p.version.version} for p in parts]})},
    )
