"""R2 — maternity medical costs (生育医疗费用) of flexible workers in Jilin.

关于优化灵活就业人员等群体医疗和生育保障有关政策的通知: 以灵活就业人员身份参加职工医保时同步参保生育保险，
住院分娩政策范围内不设起付标准、按100%比例报销；同时新增产前检查、计划生育等生育保险生育医疗费用报销待遇.

reimbursed = max(0, in-policy delivery costs − deductible) × delivery rate
           + in-policy prenatal check-up costs × prenatal rate
           + in-policy family-planning costs × family-planning rate,
summed exactly and rounded half-up to the fen once, at the end.

Dates are data: the rates are dated parameters (maternity.*, from May 2025), and — as 生育保险待遇 — they
apply only from the month after the previous year's provincial average wage is published (the same rule and
the same table as the maternity allowance: maternity.wage_on). The notice names no rate for prenatal
check-ups and family planning: those two parameters ship as 示例值 for the administrator to enter.

The snapshot is taken as of the date the care was given (for a delivery, the delivery date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import maternity
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
    scheme_in_force,
)

NAME = "maternity-medical"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class MaternityMedicalFacts:
    service_date: date  # 就诊或分娩日期
    flexible_worker: bool  # 以灵活就业人员身份参加职工医保（同步参加生育保险）
    delivery_cost: Decimal = ZERO  # 住院分娩政策范围内费用
    prenatal_checkup_cost: Decimal = ZERO  # 产前检查政策范围内费用
    family_planning_cost: Decimal = ZERO  # 计划生育政策范围内医疗费用


def snapshot_date(facts: MaternityMedicalFacts) -> date:
    return facts.service_date


@scheme_in_force(NAME)
def calculate(facts: MaternityMedicalFacts, params: ParameterSnapshot) -> Result:
    deductible = params.get("maternity.delivery_deductible")
    delivery_rate = params.get("maternity.delivery_reimbursement_rate")
    prenatal_rate = params.get("maternity.prenatal_checkup_reimbursement_rate")
    planning_rate = params.get("maternity.family_planning_reimbursement_rate")
    table = params.get(maternity.WAGE_TABLE)
    for label, cost in (("住院分娩费用", facts.delivery_cost), ("产前检查费用", facts.prenatal_checkup_cost),
                        ("计划生育费用", facts.family_planning_cost)):
        if cost < 0:
            raise ValueError(f"{label}不能为负数")

    reasons = []
    if not facts.flexible_worker:
        reasons.append(Reason("not_flexible_worker", "未以灵活就业人员身份参加职工医保和生育保险"))
    wage = maternity.wage_on(params, facts.service_date)
    if wage is None:
        reasons.append(Reason("benefit_not_in_force",
                              f"就诊日期 {facts.service_date.isoformat()} 早于施行日期：生育保险待遇自上年度社平"
                              "工资公布次月起施行"))

    delivery_base = max(ZERO, facts.delivery_cost - deductible.value)
    delivery = delivery_base * percent_of(delivery_rate.value)
    prenatal = facts.prenatal_checkup_cost * percent_of(prenatal_rate.value)
    planning = facts.family_planning_cost * percent_of(planning_rate.value)
    total = delivery + prenatal + planning
    eligible = not reasons
    amount = round_money(total) if eligible else ZERO

    steps = (
        Step("住院分娩",
             f"（{format_money(facts.delivery_cost)} − 起付标准 {format_money(deductible.value)}）"
             f" × {format_percent(delivery_rate.value)}", format_money(round_money(delivery))),
        Step("产前检查", f"{format_money(facts.prenatal_checkup_cost)} × {format_percent(prenatal_rate.value)}",
             format_money(round_money(prenatal))),
        Step("计划生育", f"{format_money(facts.family_planning_cost)} × {format_percent(planning_rate.value)}",
             format_money(round_money(planning))),
        Step("生育医疗费用报销合计",
             "以上三项相加，合计四舍五入到分" + ("" if eligible else "（不符合条件，不予报销）"),
             format_money(amount)),
        Step("施行日期",
             (f"{wage.year}年度全省社平工资 {wage.published_on.isoformat()} 公布，{wage.applies_from.isoformat()} 起施行"
              if wage is not None else "就诊时上年度社平工资尚未公布或未到公布次月"),
             "已施行" if wage is not None else "未施行"),
    )
    return Result(
        calculator=NAME, eligible=eligible, amount=amount, reasons=tuple(reasons), steps=steps,
        parameters=(deductible, delivery_rate, prenatal_rate, planning_rate, table),
        data={"delivery": round_money(delivery), "prenatal_checkup": round_money(prenatal),
              "family_planning": round_money(planning), "wage_year": wage.year if wage is not None else None},
    )
