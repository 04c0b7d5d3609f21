"""R9 — the penalty of a finding (认定) of benefit fraud: a work injury billed to medical insurance
(工伤由医保基金支付，工伤医保串用).

The person repays every yuan medical insurance paid that work-injury insurance should have paid
(责令退回全部违规医保基金), is fined `fraud.fine_multiple` × that amount (并处 2.5 倍罚款) and direct
settlement of medical costs is suspended (暂停医疗费用联网结算) for `fraud.direct_settlement_suspension_months`
months from the finding's effective date. The period is counted as the Civil Code counts months (民法典
第二百零一条、第二百零二条): the effective day itself is the first day suspended, the last day is the day of
the same number N months later, or that month's last day when it has no such day (08-31 + 6 months → the last
day of February). The snapshot is taken as of the effective date. Money: Decimal yuan, half-up to the fen once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import (
    FactRefused,
    ParameterSnapshot,
    Reason,
    Result,
    Step,
    format_money,
    round_money,
    scheme_in_force,
)

NAME = "fraud-penalty"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class FraudPenaltyFacts:
    misused_amount: Decimal  # what medical insurance paid that work-injury insurance should have paid
    effective_date: date  # the day the finding takes effect


def snapshot_date(facts: FraudPenaltyFacts) -> date:
    return facts.effective_date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has none (01-31 + 1 → 02-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@scheme_in_force(
    NAME,
    {
        "repay": Decimal("0.00"),
        "fine": Decimal("0.00"),
        "suspended_from": None,
        "suspended_until": None,
        "suspension_months": 0,
    },
)
def calculate(facts: FraudPenaltyFacts, params: ParameterSnapshot) -> Result:
    if facts.misused_amount < 0:
        raise FactRefused("misused_amount", "negative_amount", "应退回金额不能为负数")
    multiple = params.get("fraud.fine_multiple")
    months = params.get("fraud.direct_settlement_suspension_months")
    repay = round_money(facts.misused_amount)
    fine = round_money(repay * multiple.value)  # the fine is on the amount to repay, as decided
    until = add_months(facts.effective_date, months.value)
    reasons: tuple[Reason, ...] = ()
    if repay <= 0:
        reasons = (Reason("nothing_to_repay", "未查明由医保基金支付的工伤费用，无应退回金额"),)
    steps = (
        Step("责令退回医保基金", "应由工伤保险基金支付、已由医保基金结算的费用", format_money(repay)),
        Step(
            "罚款",
            f"{format_money(repay)} × {format(multiple.value.normalize(), 'f')} 倍",
            format_money(fine),
        ),
        Step(
            "暂停医疗费用联网直接结算",
            f"自{facts.effective_date.isoformat()}起 {months.value} 个月，至{until.isoformat()}（含）",
            f"{months.value} 个月",
        ),
        Step("合计应缴", f"{format_money(repay)} + {format_money(fine)}", format_money(repay + fine)),
    )
    return Result(
        calculator=NAME,
        eligible=not reasons,
        amount=round_money(repay + fine),
        reasons=reasons,
        steps=steps,
        parameters=(multiple, months),
        data={
            "repay": repay,
            "fine": fine,
            "suspended_from": facts.effective_date,
            "suspended_until": until,
            "suspension_months": months.value,
        },
    )
