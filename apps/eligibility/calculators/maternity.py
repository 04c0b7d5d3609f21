"""R2 — maternity allowance (生育津贴) of flexible workers in Jilin.

contribution base = 83% × previous-year provincial average monthly wage;
allowance = base ÷ 30 × 98 days, for flexible workers meeting the continuous-enrollment rule.
The snapshot is taken as of the delivery date (the base in force then).
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
    format_money,
    format_percent,
    percent_of,
    round_money,
)

NAME = "maternity-allowance"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class MaternityFacts:
    delivery_date: date
    flexible_worker: bool  # 以灵活就业人员身份参加职工医保（同步参加生育保险）
    continuous_enrollment_months: int


def snapshot_date(facts: MaternityFacts) -> date:
    return facts.delivery_date


def calculate(facts: MaternityFacts, params: ParameterSnapshot) -> Result:
    wage = params.get("social.provincial_average_monthly_wage")
    base_rate = params.get("maternity.contribution_base_rate")
    divisor = params.get("maternity.daily_base_divisor")
    days = params.get("maternity.allowance_days")
    required = params.get("maternity.continuous_enrollment_months")

    reasons = []
    if not facts.flexible_worker:
        reasons.append(Reason("not_flexible_worker", "未以灵活就业人员身份参加职工医保和生育保险"))
    if facts.continuous_enrollment_months < required.value:
        reasons.append(
            Reason(
                "insufficient_enrollment_months",
                f"连续参保 {facts.continuous_enrollment_months} 个月，少于规定的 {required.value} 个月",
            )
        )

    base = wage.value * percent_of(base_rate.value)
    # Multiply before dividing so the only inexact operation is the last one.
    allowance = base * days.value / divisor.value
    eligible = not reasons
    amount = round_money(allowance) if eligible else ZERO

    steps = (
        Step(
            "连续参保月数",
            f"{facts.continuous_enrollment_months} 个月（规定 ≥ {required.value} 个月）",
            "符合" if facts.continuous_enrollment_months >= required.value else "不符合",
        ),
        Step(
            "缴费基数",
            f"{format_percent(base_rate.value)} × {format_money(wage.value)} = {format_money(base)}",
            format_money(base),
        ),
        Step(
            "生育津贴",
            f"{format_money(base)} ÷ {divisor.value} × {days.value} 天 = {format_money(allowance)}",
            format_money(amount) if eligible else "不符合条件，0.00",
        ),
    )
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount,
        reasons=tuple(reasons),
        steps=steps,
        parameters=(wage, base_rate, divisor, days, required),
        data={
            "contribution_base": round_money(base),
            "required_enrollment_months": required.value,
            "allowance_days": days.value,
        },
    )
