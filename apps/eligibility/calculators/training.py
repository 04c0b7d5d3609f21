"""R6 — vocational training subsidies (project-based: 岗位需求+技能培训+技能评价+就业服务).

Two parts, each with its own condition:
* training subsidy (培训补贴): per program, paid only after the training is completed and the
  employment check passed — a labour contract, a service agreement or wage statements
  (劳动合同或服务协议、工资流水) verified by the caseworker;
* skills-assessment subsidy (技能评价补贴): per level, paid after a certificate — a skill-level
  certificate of the 新八级工 ladder or a special-skill (专项职业能力) certificate. A licence of
  another department earned in "一培双证" training is not a skills assessment and pays nothing here.
Both amounts are admin-entered tables. `eligible` means at least one part is payable; `reasons`
name every part that is not. The snapshot is taken as of the training end date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import ZERO, ParameterSnapshot, Reason, Result, Step, format_money, round_money, scheme_in_force

NAME = "training-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"

EMPLOYMENT_EVIDENCE = {
    "labour_contract": "劳动合同",
    "service_agreement": "服务协议",
    "wage_statement": "工资流水",
}
# The 新八级工 ladder, plus special-skill certificates; the amounts table says which are subsidised.
CERTIFICATE_LEVELS = {
    "apprentice": "学徒工",
    "junior": "初级工",
    "intermediate": "中级工",
    "senior": "高级工",
    "technician": "技师",
    "senior_technician": "高级技师",
    "special_technician": "特级技师",
    "chief_technician": "首席技师",
    "special_skill": "专项职业能力",
}


@dataclass(frozen=True)
class TrainingFacts:
    program: str  # a key of training.subsidy_per_program
    training_end_date: date
    training_completed: bool
    verified_employment_evidence: frozenset[str] = frozenset()
    certificate_level: str | None = None  # None: no certificate (yet)


def snapshot_date(facts: TrainingFacts) -> date:
    return facts.training_end_date


@scheme_in_force(NAME, {"training_subsidy": ZERO, "assessment_subsidy": ZERO})
def calculate(facts: TrainingFacts, params: ParameterSnapshot) -> Result:
    unknown = facts.verified_employment_evidence - EMPLOYMENT_EVIDENCE.keys()
    if unknown:
        raise ValueError(f"未知的就业证明类型：{', '.join(sorted(unknown))}")
    if facts.certificate_level is not None and facts.certificate_level not in CERTIFICATE_LEVELS:
        raise ValueError(f"未知的证书等级：{facts.certificate_level}")
    programs = params.get("training.subsidy_per_program")
    levels = params.get("training.assessment_subsidy_per_level")

    reasons, steps = [], []
    training = ZERO
    program = programs.value.get(facts.program)
    if program is None:
        reasons.append(Reason("program_not_listed", f"培训项目“{facts.program}”未列入补贴目录"))
    if not facts.training_completed:
        reasons.append(Reason("training_not_completed", "培训尚未结业"))
    if not facts.verified_employment_evidence:
        reasons.append(
            Reason("employment_not_verified", "未核验劳动合同、服务协议或工资流水，培训补贴暂不发放")
        )
    if program is not None and facts.training_completed and facts.verified_employment_evidence:
        training = Decimal(program["amount"])
    evidence = "、".join(EMPLOYMENT_EVIDENCE[e] for e in sorted(facts.verified_employment_evidence)) or "无"
    steps.append(
        Step(
            "培训补贴",
            f"{program['name'] if program else facts.program}；就业核验：{evidence}",
            format_money(training),
        )
    )

    assessment = ZERO
    if facts.certificate_level is None:
        reasons.append(
            Reason("no_certificate", "未取得职业技能等级证书或专项职业能力证书，技能评价补贴暂不发放")
        )
        steps.append(Step("技能评价补贴", "无证书", format_money(assessment)))
    else:
        level = levels.value.get(facts.certificate_level)
        if level is None:
            reasons.append(
                Reason(
                    "certificate_level_not_subsidised",
                    f"{CERTIFICATE_LEVELS[facts.certificate_level]}证书不在技能评价补贴标准内",
                )
            )
        else:
            assessment = Decimal(level["amount"])
        steps.append(
            Step("技能评价补贴", CERTIFICATE_LEVELS[facts.certificate_level], format_money(assessment))
        )

    total = training + assessment
    steps.append(Step("合计", f"{format_money(training)} + {format_money(assessment)}", format_money(total)))
    return Result(
        calculator=NAME,
        eligible=total > 0,
        amount=round_money(total),
        reasons=tuple(reasons),
        steps=tuple(steps),
        parameters=(programs, levels),
        data={"training_subsidy": round_money(training), "assessment_subsidy": round_money(assessment)},
    )
