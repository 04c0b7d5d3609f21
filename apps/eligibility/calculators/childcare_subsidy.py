"""R3 — national childcare subsidy (国家育儿补贴): 3600 a year per child under 3, from 2025-01-01.

For a given calendar year the subsidy is paid by month: annual amount × months ÷ 12.
Month counting (our reading, see the report): a month counts when it is on or after the
start month, on or after the birth month, and before the month of the 3rd birthday — so a
child born after the start gets exactly 36 months in all, birth month included, birthday
month excluded. The snapshot is taken as of 31 December of the year.
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

NAME = "childcare-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class ChildcareSubsidyFacts:
    year: int
    child_birth_date: date


def snapshot_date(facts: ChildcareSubsidyFacts) -> date:
    return year_end(facts.year)


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _label(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"


@scheme_in_force(NAME, {"months": 0})
def calculate(facts: ChildcareSubsidyFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    start = params.get("childcare_subsidy.start_date")
    age_limit = params.get("childcare_subsidy.age_limit_years")

    birth = _month_index(facts.child_birth_date.year, facts.child_birth_date.month)
    first = max(_month_index(facts.year, 1), _month_index(start.value.year, start.value.month), birth)
    end = min(_month_index(facts.year + 1, 1), birth + 12 * age_limit.value)  # exclusive
    # Each month at the annual amount in force for it (a change on 1 July pays 6 months at each amount).
    year_start = _month_index(facts.year, 1)
    segments = annual_segments(params, "childcare_subsidy.annual_amount",
                               range(first - year_start + 1, end - year_start + 1))
    months = sum(segment.months for segment in segments)
    parts = [segment.version.value * segment.months / 12 for segment in segments]
    exact = sum(parts, ZERO)
    eligible = months > 0
    amount = round_money(exact)
    reasons = (
        ()
        if eligible
        else (
            Reason(
                "no_eligible_months",
                f"{facts.year}年内无{start.value.isoformat()}起、未满{age_limit.value}周岁的月份",
            ),
        )
    )
    period = f"{_label(first)}至{_label(end - 1)}" if eligible else "无"
    steps: tuple[Step, ...] = (
        Step(
            "计发月数",
            f"{start.value.isoformat()}起、出生当月起至满{age_limit.value}周岁当月前，{facts.year}年内：{period}",
            f"{months} 个月",
        ),
    )
    # The versions paid (a year without eligible months still names the amount in force).
    used = tuple(dict.fromkeys(s.version for s in segments)) or (
        next(v for v in params.monthly("childcare_subsidy.annual_amount") if v),)
    if len(segments) > 1:  # the amount changed during the year: one step per version, then the total
        steps += tuple(
            Step(f"育儿补贴（{s.label(facts.year)}，版本 {s.version.version}）",
                 f"{format_money(s.version.value)} × {s.months} ÷ 12 = {format_money(part)}", format_money(part))
            for s, part in zip(segments, parts, strict=True))
        steps += (Step("育儿补贴", " + ".join(format_money(part) for part in parts) + f" = {format_money(exact)}",
                       format_money(amount)),)
    else:
        steps += (Step("育儿补贴", f"{format_money(used[0].value)} × {months} ÷ 12 = {format_money(exact)}",
                       format_money(amount)),)
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount if eligible else ZERO,
        reasons=reasons,
        steps=steps,
        parameters=(*used, start, age_limit),
        data={"months": months},
    )
