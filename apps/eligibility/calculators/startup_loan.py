"""R9 + R6 — 创业担保贷款 (start-up guarantee loan): is the applicant in a target group, how much is guaranteed,
which share of the interest is subsidised, and is the term within the limit.

Source of the programme: the seeds name it only as a figure (《政策“组合拳”持续发力，吉林推动农民工就业增收》, 据吉林省
人力资源和社会保障厅: "为农民创业者发放创业担保贷款 5786 万元，直接扶持 174人"). No cap, share or term is given, so every
number is a parameter shipped as 示例值 for the administrator to enter (docs/startup_loans.md):

- `startup_loans.max_amount_per_person` (元): the guaranteed amount is the amount requested, capped at this;
- `startup_loans.interest_subsidy_share` (%): the share of each paid period's interest the subsidy pays;
- `startup_loans.max_term_months`: a longer term is refused.

The target groups are those of R6 (rural migrant workers, unemployed college graduates, unemployed people,
就业困难人员, women re-entering work after childbirth), read from the person's status tags on the application
date (the tag codes are apps.applicants' StatusTag values; this module knows none of its models).

`interest_subsidy` is the claim's arithmetic: per paid period interest × share, summed exactly, rounded half-up to
the fen once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    format_percent,
    percent_of,
    round_money,
    scheme_in_force,
)

NAME = "startup-loan"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"

# Status-tag code -> the target group's Chinese name (R6). Order is the order of the explanation.
TARGET_GROUPS: dict[str, str] = {
    "migrant_worker": "农民工（返乡入乡创业农民工）",
    "unemployed_graduate": "离校未就业高校毕业生",
    "unemployed": "城镇登记失业人员",
    "employment_difficulty": "就业困难人员",
    "postnatal_woman": "生育后再就业妇女",
}

MAX_AMOUNT = "startup_loans.max_amount_per_person"
SUBSIDY_SHARE = "startup_loans.interest_subsidy_share"
MAX_TERM = "startup_loans.max_term_months"


@dataclass(frozen=True)
class StartupLoanFacts:
    application_date: date
    amount_requested: Decimal  # 元
    term_months: int
    # The person's status-tag codes valid on the application date (only those in TARGET_GROUPS count).
    status_tags: frozenset[str] = frozenset()


def snapshot_date(facts: StartupLoanFacts) -> date:
    return facts.application_date


@scheme_in_force(NAME, {"guaranteed_amount": ZERO, "capped": False, "target_groups": [],
                        "interest_subsidy_share": None, "max_term_months": None})
def calculate(facts: StartupLoanFacts, params: ParameterSnapshot) -> Result:
    if facts.amount_requested <= 0:
        raise FactRefused("amount_requested", "invalid_amount", "申请贷款金额应大于 0")
    if facts.term_months < 1:
        raise FactRefused("term_months", "invalid_term", "贷款期限至少 1 个月")
    cap = params.get(MAX_AMOUNT)
    share = params.get(SUBSIDY_SHARE)
    term = params.get(MAX_TERM)
    groups = [code for code in TARGET_GROUPS if code in facts.status_tags]
    reasons: list[Reason] = []
    if not groups:
        reasons.append(Reason("not_target_group",
                              f"申请日 {facts.application_date.isoformat()} 无创业担保贷款扶持对象身份（须为"
                              + "、".join(TARGET_GROUPS.values()) + "之一）"))
    if facts.term_months > term.value:
        reasons.append(Reason("term_exceeds_limit",
                              f"贷款期限 {facts.term_months} 个月超过最长期限 {term.value} 个月"))
    capped = facts.amount_requested > cap.value
    guaranteed = round_money(min(facts.amount_requested, cap.value)) if not reasons else ZERO
    steps = (
        Step("扶持对象身份", "申请日有效的身份标签：" + ("、".join(TARGET_GROUPS[c] for c in groups) or "无"),
             "符合" if groups else "不符合"),
        Step("贷款期限", f"{facts.term_months} 个月 ≤ 最长 {term.value} 个月",
             "符合" if facts.term_months <= term.value else "超过期限"),
        Step("担保贷款额度",
             f"min(申请 {format_money(facts.amount_requested)}，个人最高 {format_money(cap.value)})"
             + ("（超过上限，按上限核定）" if capped else ""),
             format_money(guaranteed) if not reasons else "不予核定"),
        Step("财政贴息比例", f"按期实际支付利息 × {format_percent(share.value)}", format_percent(share.value)),
    )
    return Result(
        calculator=NAME, eligible=not reasons, amount=guaranteed, reasons=tuple(reasons), steps=steps,
        parameters=(cap, share, term),
        data={"guaranteed_amount": guaranteed, "capped": capped, "target_groups": groups,
              "interest_subsidy_share": share.value, "max_term_months": term.value},
    )


@dataclass(frozen=True)
class PaidPeriod:
    period: int
    interest: Decimal  # 元, as repaid


@dataclass(frozen=True)
class SubsidyComputation:
    amount: Decimal  # rounded once
    exact: Decimal
    interest_total: Decimal
    steps: tuple[Step, ...]
    lines: tuple[tuple[int, Decimal, Decimal], ...]  # (period, interest, exact subsidy)


def interest_subsidy(periods: Iterable[PaidPeriod], share: ParameterValue) -> SubsidyComputation:
    """贴息: Σ (interest × share) over the paid periods, exact, then half-up to the fen once."""
    rate = percent_of(share.value)
    lines = tuple((p.period, p.interest, p.interest * rate) for p in sorted(periods, key=lambda p: p.period))
    exact = sum((line[2] for line in lines), ZERO)
    interest = sum((line[1] for line in lines), ZERO)
    amount = round_money(exact)
    per_period = [Step(f"第 {period} 期贴息", f"利息 {format_money(paid)} × {format_percent(share.value)}",
                       format(subsidy, "f")) for period, paid, subsidy in lines]
    total = Step("贴息合计（四舍五入到分）",
                 f"利息合计 {format_money(interest)} × {format_percent(share.value)} = {format(exact, 'f')}",
                 format_money(amount))
    steps = (*per_period, total)
    return SubsidyComputation(amount=amount, exact=exact, interest_total=interest, steps=steps, lines=lines)
