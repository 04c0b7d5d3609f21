"""R3 — 儿童养育补贴 (Jilin, local; not the national 育儿补贴 of childcare_subsidy): an annual amount per child
from a birth order on, until an age, paid by month.

Source: 《吉林省提振消费专项行动实施方案》 (吉林省人民政府办公厅), which names the subsidy but gives no figures:
`child_rearing.annual_amount`, `child_rearing.start_date`, `child_rearing.age_limit_years` and
`child_rearing.min_birth_order` are administrator-entered (示例值). Months are counted as for the national
subsidy (calculators.base.months_under_age) and each is paid at the amount in force for it; the snapshot is
31 December of the year.
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
from .birth_reward import check_birth_order, order_name

NAME = "child-rearing-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class ChildRearingFacts:
    year: int
    child_birth_date: date
    birth_order: int  # 1 = the first child of the household


def snapshot_date(facts: ChildRearingFacts) -> date:
    return year_end(facts.year)


@scheme_in_force(NAME, {"months": 0})
def calculate(facts: ChildRearingFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    check_birth_order(facts.birth_order)
    start = params.get("child_rearing.start_date")
    age_limit = params.get("child_rearing.age_limit_years")
    min_order = params.get("child_rearing.min_birth_order")

    order_ok = facts.birth_order >= min_order.value
    steps: tuple[Step, ...] = (
        Step(
            "孩次",
            f"第{facts.birth_order}孩（{order_name(facts.birth_order)}），自第{min_order.value}孩起发放",
            "符合" if order_ok else "不符合",
        ),
    )
    first, end = months_under_age(facts.year, start.value, facts.child_birth_date, age_limit.value)
    if not order_ok:
        first = end  # no month is paid
    months, exact, used, paid = annual_amount_by_month(
        params, "child_rearing.annual_amount", facts.year, first, end, "儿童养育补贴"
    )
    period = f"{month_index_label(first)}至{month_index_label(end - 1)}" if months else "无"
    steps += (
        Step(
            "计发月数",
            f"{start.value.isoformat()}起、出生当月起至满{age_limit.value}周岁当月前，"
            f"{facts.year}年内：{period}",
            f"{months} 个月",
        ),
        *paid,
    )
    reasons: tuple[Reason, ...] = ()
    if not order_ok:
        reasons += (
            Reason(
                "birth_order_below_minimum",
                f"{order_name(facts.birth_order)}不在发放范围内（自第{min_order.value}孩起发放）",
            ),
        )
    elif not months:
        reasons += (
            Reason(
                "no_eligible_months",
                f"{facts.year}年内无{start.value.isoformat()}起、未满{age_limit.value}周岁的月份",
            ),
        )
    eligible = not reasons
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=round_money(exact) if eligible else ZERO,
        reasons=reasons,
        steps=steps,
        parameters=(*used, start, age_limit, min_order),
        data={"months": months if eligible else 0},
    )
