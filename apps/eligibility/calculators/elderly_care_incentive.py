"""R7 — 养老服务人才激励: who qualifies for which incentive, how much, and why.

Source: 吉林省民政厅、中共吉林省委社会工作部等部门《关于加强养老服务人才队伍建设的实施意见》吉民发〔2024〕33号
(2024-10-10), 二(一)1: "按规定给予就业见习补贴 … 落实社会保险补贴、职业培训补贴 … 一次性创业补贴，对于专职从事养老
护理服务工作的人员，符合条件的按规定发放入职奖励、岗位补贴、技能等级奖励、荣誉奖励"; 二(四)11: "对列入严重违法失信名单
的养老机构经营主体和人员 … 开展失信惩戒". The document names the incentives and no amount, so every number is a
parameter `elderly_care.*` shipped as 示例值 (docs/eldercare.md).

The rules, in order (the first refusal that applies is reported, with the steps up to it):

1. 严重失信: the institution or the person on the 黑名单 on the claim date (listed_on ≤ date, and no removal date
   or date < removed_on — the removal day itself is no longer listed) — refused with the entry's reason.
2. 专职: 入职奖励, 岗位补贴, 技能等级奖励 and 荣誉奖励 only for full-time workers (专职).
3. Per kind: 就业见习补贴 monthly × months (capped); 社会保险补贴 for a hired college graduate, monthly × months
   (capped); 职业培训补贴 with a training certificate; 一次性创业补贴 for a college graduate who founded the
   institution; 入职奖励 once the worker has served `entry_award_min_service_months` (the claim date on or after
   the start date plus that many months); 岗位补贴 monthly × months (capped per claim); 技能等级奖励 by the 新八级工
   level held; 荣誉奖励 by the honour's level.

Parameters are those in force on the claim date; the amount is rounded half-up to the fen once, at the end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .base import (
    ZERO,
    FactRefused,
    ParameterSnapshot,
    ParameterValue,
    Reason,
    Result,
    Step,
    format_money,
    round_money,
    scheme_in_force,
)
from .training import CERTIFICATE_LEVELS

NAME = "elderly-care-incentive"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"

KINDS = {
    "internship": "就业见习补贴",
    "social_insurance": "社会保险补贴",
    "vocational_training": "职业培训补贴",
    "startup": "一次性创业补贴",
    "entry_award": "入职奖励",
    "post_subsidy": "岗位补贴",
    "skill_award": "技能等级奖励",
    "honour_award": "荣誉奖励",
}
# Only for workers 专职从事养老护理服务工作 (the document's own condition).
FULL_TIME_KINDS = frozenset({"entry_award", "post_subsidy", "skill_award", "honour_award"})
HONOUR_LEVELS = {"national": "国家级", "provincial": "省级", "city": "市（州）级"}
SKILL_LEVELS = {key: label for key, label in CERTIFICATE_LEVELS.items() if key != "special_skill"}


@dataclass(frozen=True)
class ElderlyCareIncentiveFacts:
    kind: str  # a key of KINDS
    claim_date: date  # the parameters and the 黑名单 are read on this day
    full_time: bool
    start_date: date  # the worker's first day at the institution
    months: int = 0  # 就业见习补贴 / 社会保险补贴 / 岗位补贴: the months claimed
    skill_level: str = ""  # 技能等级奖励: a key of SKILL_LEVELS
    honour_level: str = ""  # 荣誉奖励: a key of HONOUR_LEVELS
    college_graduate: bool = False  # 社会保险补贴, 一次性创业补贴
    training_certificate: bool = False  # 职业培训补贴
    founder: bool = False  # 一次性创业补贴: the person founded (runs) the institution
    # The 黑名单 entry of the institution and of the person that is nearest the claim date (or none).
    institution_listed_on: date | None = None
    institution_removed_on: date | None = None
    institution_listing_reason: str = ""
    person_listed_on: date | None = None
    person_removed_on: date | None = None
    person_listing_reason: str = ""


def snapshot_date(facts: ElderlyCareIncentiveFacts) -> date:
    return facts.claim_date


def listed_on_day(listed_on: date | None, removed_on: date | None, day: date) -> bool:
    """On the 黑名单 on `day`: from the listing day (inclusive) to the day before the removal (信用修复移出)."""
    return listed_on is not None and listed_on <= day and (removed_on is None or day < removed_on)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _money(value) -> Decimal:
    return Decimal(str(value))


def _refused(code: str, message: str, steps: list[Step], used: list[ParameterValue], data: dict) -> Result:
    return Result(calculator=NAME, eligible=False, amount=ZERO, reasons=(Reason(code, message),),
                  steps=tuple(steps), parameters=tuple(used), data=data)


@scheme_in_force(NAME, {"kind_label": ""})
def calculate(facts: ElderlyCareIncentiveFacts, params: ParameterSnapshot) -> Result:
    if facts.kind not in KINDS:
        raise FactRefused("kind", "unknown_kind", "补贴类别不正确")
    if facts.months < 0:
        raise FactRefused("months", "invalid_months", "月数不能为负数")
    if facts.start_date > facts.claim_date:
        raise FactRefused("start_date", "start_after_claim", "入职日期不能晚于申领日期")
    label = KINDS[facts.kind]
    data = {"kind_label": label}
    used: list[ParameterValue] = []
    steps: list[Step] = [Step("申领项目", f"{label}（申领日期 {facts.claim_date.isoformat()}）", label)]
    day = facts.claim_date

    # 1. 严重失信名单 (吉民发〔2024〕33号 二(四)11)
    for who, listed, removed, why in (
            ("养老机构", facts.institution_listed_on, facts.institution_removed_on, facts.institution_listing_reason),
            ("本人", facts.person_listed_on, facts.person_removed_on, facts.person_listing_reason)):
        if listed is not None and listed_on_day(listed, removed, day):
            span = f"{listed.isoformat()} 列入" + (f"，{removed.isoformat()} 移出" if removed else "，未移出")
            steps.append(Step(f"严重失信名单（{who}）", span, "在名单内"))
            return _refused("blacklisted", f"{who}在申领日期 {day.isoformat()} 列入养老服务严重失信名单（{why or '未载明原因'}，"
                                           f"{span}），依据吉民发〔2024〕33号不予享受补贴", steps, used, data)
    steps.append(Step("严重失信名单", f"养老机构与本人在 {day.isoformat()} 均未列入", "通过"))

    # 2. 专职
    if facts.kind in FULL_TIME_KINDS:
        if not facts.full_time:
            steps.append(Step("是否专职", "兼职人员", "不符合"))
            return _refused("not_full_time", f"{label}仅面向专职从事养老护理服务工作的人员，该人员为兼职", steps, used, data)
        steps.append(Step("是否专职", "专职从事养老护理服务工作", "符合"))

    # 3. The kind's own rule
    amount: Decimal
    if facts.kind in ("internship", "social_insurance", "post_subsidy"):
        monthly = params.get({"internship": "elderly_care.internship_subsidy_monthly",
                              "social_insurance": "elderly_care.social_insurance_subsidy_monthly",
                              "post_subsidy": "elderly_care.post_subsidy_monthly"}[facts.kind])
        cap = params.get({"internship": "elderly_care.internship_max_months",
                          "social_insurance": "elderly_care.social_insurance_max_months",
                          "post_subsidy": "elderly_care.post_subsidy_max_months"}[facts.kind])
        used += [monthly, cap]
        if facts.kind == "social_insurance" and not facts.college_graduate:
            steps.append(Step("吸纳高校毕业生", "该人员不是高校毕业生", "不符合"))
            return _refused("not_college_graduate", "社会保险补贴用于养老服务机构吸纳高校毕业生就业，该人员不是高校毕业生",
                            steps, used, data)
        if facts.months <= 0:
            steps.append(Step("申领月数", "0 个月", "不符合"))
            return _refused("no_months", f"{label}须申领至少 1 个月", steps, used, data)
        months = min(facts.months, cap.value)
        steps.append(Step("申领月数", f"申领 {facts.months} 个月，最长 {cap.value} 个月", f"{months} 个月"))
        amount = round_money(_money(monthly.value) * months)
        steps.append(Step(label, f"{format_money(_money(monthly.value))} × {months}", format_money(amount)))
    elif facts.kind == "vocational_training":
        value = params.get("elderly_care.vocational_training_subsidy")
        used.append(value)
        if not facts.training_certificate:
            steps.append(Step("培训合格证明", "未取得", "不符合"))
            return _refused("no_certificate", "职业培训补贴须取得培训合格证书或职业技能等级证书", steps, used, data)
        amount = round_money(_money(value.value))
        steps.append(Step(label, "每人一次", format_money(amount)))
    elif facts.kind == "startup":
        value = params.get("elderly_care.startup_subsidy")
        used.append(value)
        if not (facts.college_graduate and facts.founder):
            steps.append(Step("创业条件", "须为创办养老服务机构的高校毕业生", "不符合"))
            return _refused("not_founder", "一次性创业补贴面向到养老服务领域创业（创办养老服务机构）的高校毕业生",
                            steps, used, data)
        amount = round_money(_money(value.value))
        steps.append(Step(label, "一次性", format_money(amount)))
    elif facts.kind == "entry_award":
        value = params.get("elderly_care.entry_award")
        service = params.get("elderly_care.entry_award_min_service_months")
        used += [value, service]
        due = add_months(facts.start_date, service.value)
        if day < due:
            steps.append(Step("从业年限", f"{facts.start_date.isoformat()} 入职，满 {service.value} 个月之日为 "
                                       f"{due.isoformat()}", "未满"))
            return _refused("service_too_short", f"入职奖励须从业满 {service.value} 个月（{due.isoformat()} 起可申领）",
                            steps, used, data)
        steps.append(Step("从业年限", f"{facts.start_date.isoformat()} 入职，{due.isoformat()} 满 {service.value} 个月",
                          "已满"))
        amount = round_money(_money(value.value))
        steps.append(Step(label, "每人一次", format_money(amount)))
    elif facts.kind == "skill_award":
        table = params.get("elderly_care.skill_award_by_level")
        used.append(table)
        level_label = SKILL_LEVELS.get(facts.skill_level, "")
        if facts.skill_level not in table.value:
            steps.append(Step("技能等级", level_label or "未取得职业技能等级", "无奖励标准"))
            return _refused("no_skill_level", f"技能等级奖励须取得职业技能等级（{level_label or '未登记等级'}无奖励标准）",
                            steps, used, data)
        amount = round_money(_money(table.value[facts.skill_level]))
        steps.append(Step(label, f"新八级工等级：{level_label}", format_money(amount)))
    else:  # honour_award
        table = params.get("elderly_care.honour_award_by_level")
        used.append(table)
        if facts.honour_level not in table.value:
            steps.append(Step("荣誉级别", "未登记", "不符合"))
            return _refused("no_honour", "荣誉奖励须登记所获荣誉的级别", steps, used, data)
        amount = round_money(_money(table.value[facts.honour_level]))
        steps.append(Step(label, f"荣誉级别：{HONOUR_LEVELS.get(facts.honour_level, facts.honour_level)}",
                          format_money(amount)))
    return Result(calculator=NAME, eligible=True, amount=amount, reasons=(), steps=tuple(steps),
                  parameters=tuple(used), data=data)
