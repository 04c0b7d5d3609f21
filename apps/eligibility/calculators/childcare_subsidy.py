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
    annual_amount_by_month,
    month_index_label,
    months_under_age,
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


@scheme_in_force(NAME, {"months": 0})
def calculate(facts: ChildcareSubsidyFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    start = params.get("childcare_subsidy.start_date")
    age_limit = params.get("childcare_subsidy.age_limit_years")

    first, end = months_under_age(facts.year, start.value, facts.child_birth_date, age_limit.value)
    # Each month at the annual amount in force for it (a change on 1 July pays 6 months at each amount).
    months, exact, used, paid = annual_amount_by_month(params, "childcare_subsidy.annual_amount", facts.year,
                                                       first, end, "育儿补贴")
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
    period = f"{month_index_label(first)}至{month_index_label(end - 1)}" if eligible else "无"
    steps: tuple[Step, ...] = (
        Step(
            "计发月数",
            f"{start.value.isoformat()}起、出生当月起至满{age_limit.value}周岁当月前，{facts.year}年内：{period}",
            f"{months} 个月",
        ),
        *paid,
    )
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount if eligible else ZERO,
        reasons=reasons,
        steps=steps,
        parameters=(*used, start, age_limit),
        data={"months": months},
    )
