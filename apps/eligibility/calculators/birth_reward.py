"""R3 — 二孩、三孩生育奖励 (Jilin): a one-time reward per child by birth order, for a child born on or after the
reward's first version.

Source: 《吉林省提振消费专项行动实施方案》 (吉林省人民政府办公厅), which names the reward but gives no amount:
`birth_reward.amount_by_order` is a table an administrator enters ({"2": {"name", "amount"}, "3": …}, 示例值).
The birth order is the child's place among the household's children (registry: apps.applicants), born on
the same day ordered by registration. A birth order the table does not list (a first child; a fourth child
unless the administrator adds "4") gets nothing. The parameters are those in force on the birth date: a
child born before the reward existed is "no scheme in force".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import (
    ZERO,
    FactRefused,
    ParameterSnapshot,
    Reason,
    Result,
    Step,
    format_money,
    round_money,
    scheme_in_force,
)

NAME = "birth-reward"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"
ORDER_NAMES = {1: "一孩", 2: "二孩", 3: "三孩", 4: "四孩"}


@dataclass(frozen=True)
class BirthRewardFacts:
    child_birth_date: date
    birth_order: int  # 1 = the first child of the household


def snapshot_date(facts: BirthRewardFacts) -> date:
    return facts.child_birth_date


def order_name(order: int) -> str:
    return ORDER_NAMES.get(order, f"第{order}孩")


def check_birth_order(order: int) -> None:
    if order < 1:
        raise FactRefused("birth_order", "birth_order_invalid", "孩次应为不小于1的整数")


@scheme_in_force(NAME, {"birth_order": None})
def calculate(facts: BirthRewardFacts, params: ParameterSnapshot) -> Result:
    check_birth_order(facts.birth_order)
    table = params.get("birth_reward.amount_by_order")
    row = table.value.get(str(facts.birth_order))
    listed = "、".join(
        f"{r.get('name', k)} {format_money(round_money(_amount(r)))} 元"
        for k, r in sorted(table.value.items(), key=lambda item: int(item[0]))
    )
    name = order_name(facts.birth_order)
    steps = [
        Step(
            "孩次",
            f"{facts.child_birth_date.isoformat()}出生，为家庭登记中的第{facts.birth_order}个子女",
            name,
        ),
        Step(
            "奖励标准",
            f"{facts.child_birth_date.isoformat()}适用的标准（版本 {table.version}）：{listed}",
            format_money(round_money(_amount(row))) + " 元" if row else "无",
        ),
    ]
    if row is None:
        reason = Reason("birth_order_not_covered", f"{name}不在生育奖励的孩次范围内（{listed}）")
        return Result(
            NAME, False, ZERO, (reason,), tuple(steps), (table,), {"birth_order": facts.birth_order}
        )
    amount = round_money(_amount(row))
    steps.append(Step("生育奖励", f"{name}一次性奖励 {format_money(amount)}", format_money(amount)))
    return Result(NAME, True, amount, (), tuple(steps), (table,), {"birth_order": facts.birth_order})


def _amount(row: dict) -> Decimal:
    """A table amount as entered (a string, never a float)."""
    return Decimal(str(row["amount"]))
