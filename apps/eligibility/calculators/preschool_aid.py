"""R4 — preschool aid (学前教育资助), Jilin, 吉卫联发〔2023〕56号 第(十四)条.

Children in one of six hardship categories at an inclusive kindergarten approved and filed by
a county-level (or higher) education department: 1500 a year rural (county towns included),
2000 a year urban. The snapshot is taken as of 31 December of the aid year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .base import (
    ZERO,
    ParameterSnapshot,
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

NAME = "preschool-aid"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"

CHILD_CATEGORIES = {
    "former_registered_poor": "原建档立卡家庭儿童",
    "extreme_poverty_support": "特困救助供养儿童",
    "minimum_living_allowance": "低保家庭儿童",
    "de_facto_unsupported": "事实无人抚养儿童",
    "orphan": "孤儿",
    "disabled": "残疾儿童",
}


@dataclass(frozen=True)
class PreschoolAidFacts:
    year: int
    kindergarten_inclusive: bool  # 普惠性幼儿园（含民办）
    kindergarten_approved: bool  # 经县级以上教育行政部门批准设立并备案
    urban: bool  # False: 农村（含县镇）
    child_categories: frozenset[str] = frozenset()


def snapshot_date(facts: PreschoolAidFacts) -> date:
    return year_end(facts.year)


@scheme_in_force(NAME)
def calculate(facts: PreschoolAidFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    unknown = facts.child_categories - CHILD_CATEGORIES.keys()
    if unknown:
        raise ValueError(f"未知的儿童类别：{', '.join(sorted(unknown))}")
    key = "preschool_aid.annual_amount_urban" if facts.urban else "preschool_aid.annual_amount_rural"
    # A year's aid, each month at the amount in force for it (a new amount from 1 September: 8 + 4 months).
    segments = annual_segments(params, key, range(1, 13))
    parts = [segment.version.value * segment.months / 12 for segment in segments]
    annual = sum(parts, ZERO)

    reasons = []
    if not facts.kindergarten_inclusive:
        reasons.append(Reason("kindergarten_not_inclusive", "所在幼儿园不是普惠性幼儿园"))
    if not facts.kindergarten_approved:
        reasons.append(
            Reason("kindergarten_not_approved", "所在幼儿园未经县级以上教育行政部门批准设立并备案")
        )
    if not facts.child_categories:
        reasons.append(
            Reason(
                "no_eligible_category",
                "不属于资助对象（原建档立卡、特困、低保、事实无人抚养、孤儿、残疾儿童）",
            )
        )
    eligible = not reasons

    categories = "、".join(CHILD_CATEGORIES[c] for c in sorted(facts.child_categories)) or "无"
    steps: tuple[Step, ...] = (
        Step("资助对象类别", categories, "符合" if facts.child_categories else "不符合"),
        Step("资助标准", "城市" if facts.urban else "农村（含县镇）",
             f"{format_money(segments[0].version.value)} 元/生·年" if len(segments) == 1 else "年内调整"),
    )
    if len(segments) > 1 or (segments and segments[0].months < 12):
        steps += tuple(
            Step(f"资助金额（{s.label(facts.year)}，版本 {s.version.version}）",
                 f"{format_money(s.version.value)} × {s.months} ÷ 12 = {format_money(part)}", format_money(part))
            for s, part in zip(segments, parts, strict=True))
        steps += (Step("资助金额", " + ".join(format_money(part) for part in parts)
                       + f" = {format_money(annual)}", format_money(round_money(annual))),)
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=round_money(annual) if eligible else ZERO,
        reasons=tuple(reasons),
        steps=steps,
        parameters=tuple(dict.fromkeys(s.version for s in segments)),
        data={"urban": facts.urban},
    )
