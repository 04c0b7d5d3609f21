"""R5 — leave entitlements of a working parent in Jilin (吉卫联发〔2023〕56号 第(十二)条).

For the benefit summary of one calendar `year`:
* maternity leave (mother) / paternity leave (father): when a lawful birth falls in `year`;
* parental leave: per parent per year while the child is under 3 on at least one day of `year`
  (no pro-rating — the rule grants 20 days a year "before the child turns 3"; the leave must be
  taken before the 3rd birthday, reported as `parental_leave_until`);
* only-child care leave: the applicant is an only child and a parent aged 60+ is hospitalised.
Leave applies to employees; it has no amount (maternity insurance pays the allowance, the
employer the rest). The snapshot is taken as of 31 December of `year`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .base import (
    ZERO,
    ParameterSnapshot,
    Reason,
    Result,
    Step,
    require_snapshot_year,
    scheme_in_force,
    year_end,
)

NAME = "leave-entitlements"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class LeaveFacts:
    year: int
    sex: str  # "female" | "male"
    employed: bool
    child_birth_date: date | None = None
    lawful_birth: bool = True  # 符合法律、法规规定生育
    only_child: bool = False
    hospitalised_parent_age: int | None = None  # age of a parent now in hospital, if any


def snapshot_date(facts: LeaveFacts) -> date:
    return year_end(facts.year)


def birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in common years
        return date(born.year + years, 3, 1)


@scheme_in_force(NAME)
def calculate(facts: LeaveFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.year)
    if facts.sex not in ("female", "male"):
        raise ValueError(f"sex 应为 female 或 male：{facts.sex}")
    used = []
    days = {
        "maternity_leave_days": 0,
        "paternity_leave_days": 0,
        "parental_leave_days": 0,
        "only_child_care_leave_days": 0,
    }
    data: dict = {}
    steps = []

    child = facts.child_birth_date if facts.lawful_birth else None
    if facts.employed and child is not None:
        if child.year == facts.year:
            key, field, label = (
                ("leave.maternity_days", "maternity_leave_days", "产假")
                if facts.sex == "female"
                else ("leave.paternity_days", "paternity_leave_days", "护理假")
            )
            parameter = params.get(key)
            used.append(parameter)
            days[field] = parameter.value
            steps.append(Step(label, f"子女 {child.isoformat()} 出生", f"{parameter.value} 天"))

        age_limit = params.get("leave.parental_child_age_limit_years")
        per_year = params.get("leave.parental_days_per_year")
        used += [age_limit, per_year]
        limit_day = birthday(child, age_limit.value)
        if child <= year_end(facts.year) and limit_day > date(facts.year, 1, 1):
            days["parental_leave_days"] = per_year.value
            data["parental_leave_until"] = limit_day - timedelta(days=1)
            steps.append(
                Step(
                    "育儿假",
                    f"子女满{age_limit.value}周岁（{limit_day.isoformat()}）前，每人每年",
                    f"{per_year.value} 天",
                )
            )

    if facts.employed and facts.only_child and facts.hospitalised_parent_age is not None:
        min_age = params.get("leave.only_child_care_parent_min_age")
        care = params.get("leave.only_child_care_days_per_year")
        used += [min_age, care]
        if facts.hospitalised_parent_age >= min_age.value:
            days["only_child_care_leave_days"] = care.value
            steps.append(
                Step(
                    "独生子女父母照护假",
                    f"父母 {facts.hospitalised_parent_age} 岁 ≥ {min_age.value} 岁，患病住院",
                    f"{care.value} 天",
                )
            )

    reasons: tuple[Reason, ...] = ()
    if not facts.employed:
        reasons = (Reason("not_employed", "假期待遇适用于职工，申请人当前未就业"),)
    elif not any(days.values()):
        reasons = (Reason("no_leave_entitlement", f"{facts.year}年无可享受的生育、育儿或照护假"),)
    return Result(
        calculator=NAME,
        eligible=not reasons,
        amount=ZERO,
        reasons=reasons,
        steps=tuple(steps),
        parameters=tuple(used),
        data={**days, **data},
    )
