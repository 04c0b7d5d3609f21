"""R3 — 边境村生育奖励 (Jilin): a one-time reward for a child born to a household of a border village.

Source: 《吉林省提振消费专项行动实施方案》 (吉林省人民政府办公厅), which names the reward but gives no amount
and no list: `border_village_birth.amount` (示例值) and `border_village_birth.regions`, a list of region codes
an administrator enters (like childcare's 长春市城区 list). A household counts when its region code starts
with a listed code, so a county on the list covers every village registered below it. The parameters are
those in force on the birth date: a child born before the reward existed is "no scheme in force".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

NAME = "border-village-birth-reward"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class BorderVillageBirthFacts:
    child_birth_date: date
    region_code: str  # the household's registered region (GB/T 2260, a county or a village below it)


def snapshot_date(facts: BorderVillageBirthFacts) -> date:
    return facts.child_birth_date


def in_region_list(region_code: str, listed: tuple[str, ...]) -> str | None:
    """The listed code covering `region_code` (itself or a region above it), None when none does."""
    return next((code for code in listed if region_code.startswith(code)), None)


@scheme_in_force(NAME, {"border_village": None})
def calculate(facts: BorderVillageBirthFacts, params: ParameterSnapshot) -> Result:
    if not facts.region_code.isdigit():
        raise FactRefused("region_code", "region_code_invalid", "区划代码应为数字")
    regions = params.get("border_village_birth.regions")
    amount_parameter = params.get("border_village_birth.amount")
    match = in_region_list(facts.region_code, regions.value)
    steps = [
        Step(
            "边境村名单",
            f"家庭所在区划 {facts.region_code}；名单（版本 {regions.version}）：{'、'.join(regions.value)}",
            f"在名单内（{match}）" if match else "不在名单内",
        )
    ]
    data = {"border_village": match is not None}
    if match is None:
        reason = Reason("not_border_village", f"家庭所在区划 {facts.region_code} 不在边境村名单内")
        return Result(NAME, False, ZERO, (reason,), tuple(steps), (regions, amount_parameter), data)
    amount = round_money(amount_parameter.value)
    steps.append(
        Step(
            "边境村生育奖励",
            f"{facts.child_birth_date.isoformat()}出生，一次性奖励 {format_money(amount)}",
            format_money(amount),
        )
    )
    return Result(NAME, True, amount, (), tuple(steps), (regions, amount_parameter), data)
