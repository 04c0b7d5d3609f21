"""R1 — unemployment-insurance stable-job refund (失业保险稳岗返还, 免申即享).

Run once per refund year Y over every insured employer with facts about P = Y − 1. The snapshot
is taken as of 31 December of P, so the unemployment-rate control target is P's.

Eligible when all hold (every failing reason is reported, not just the first):
  insufficient_months   months paid in full ≥ 12
  arrears               no contribution due by the end of P still unpaid
  layoff_rate_exceeded  headcount_start ≤ 30: layoff rate ≤ 20%; else ≤ control target (5.5%);
                        both limits inclusive; rate 0 when headcount_start is 0
  serious_dishonesty    not on the serious-dishonesty list
Amount: large enterprise 30%, other enterprises 60% of contributions paid for P; social
organisations, foundations, social service organisations, law and accounting firms and
individual businesses insured as units get 60% whatever their size.

Public institutions (government-funded 事业单位) are not covered: the policy names enterprises
and the organisations that "参照中小微企业政策执行", and their staff costs are met by the budget.
They get the extra reason `entity_type_not_covered`, alongside any others that fail.

Called about a million times per run with one snapshot: everything that depends only on the
parameters is compiled once per snapshot (`ParameterSnapshot.memo`), the layoff test compares
integers/Decimals without dividing, and facts are read, never copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .base import (
    ZERO,
    ParameterSnapshot,
    ParameterValue,
    Reason,
    Result,
    Step,
    format_money,
    format_percent,
    round_money,
    scheme_in_force,
    year_end,
)

NAME = "stable-job-refund"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"

ENTERPRISE = "enterprise"
PUBLIC_INSTITUTION = "public_institution"
# "参照中小微企业政策执行": 60% whatever their size.
TREATED_AS_SME = frozenset(
    {"social_org", "foundation", "social_service_org", "law_firm", "accounting_firm", "individual_business"}
)
ENTITY_TYPES = TREATED_AS_SME | {ENTERPRISE, PUBLIC_INSTITUTION}
SIZE_CLASSES = frozenset({"large", "medium", "small", "micro"})
LARGE_RATE = "stable_job_refund.large_enterprise_rate"
SME_RATE = "stable_job_refund.sme_rate"

ARREARS = Reason("arrears", "截至上年末存在欠缴失业保险费")
SERIOUS_DISHONESTY = Reason("serious_dishonesty", "被列入严重失信主体名单")
NOT_COVERED = Reason("entity_type_not_covered", "财政供款的事业单位不属于稳岗返还范围")
PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class StableJobRefundFacts:
    facts_year: int  # P
    entity_type: str
    size_class: str | None  # required for enterprises; ignored for the others
    months_paid_in_full: int
    has_arrears: bool
    serious_dishonesty: bool
    headcount_start: int
    headcount_end: int
    contributions_paid: Decimal  # P's contributions, without back-payments of earlier years or late fees


def snapshot_date(facts: StableJobRefundFacts) -> date:
    return year_end(facts.facts_year)


@dataclass(frozen=True, slots=True)
class _Rules:
    year: int
    min_months: int
    small_max_headcount: int
    small_limit: Decimal  # percent
    target_limit: Decimal  # percent
    large_rate: Decimal  # percent
    sme_rate: Decimal  # percent
    # Parameters used, by (small-employer branch, rate parameter key or None).
    used: dict[tuple[bool, str | None], tuple[ParameterValue, ...]]
    small_limit_text: str
    target_limit_text: str


def _compile(params: ParameterSnapshot) -> _Rules:
    months = params.get("stable_job_refund.min_months_paid")
    headcount = params.get("stable_job_refund.small_employer_max_headcount")
    small = params.get("stable_job_refund.small_employer_max_layoff_rate")
    target = params.get("stable_job_refund.unemployment_control_target")
    large = params.get(LARGE_RATE)
    sme = params.get(SME_RATE)
    used = {}
    for is_small, limit in ((True, small), (False, target)):
        for rate in (large, sme, None):
            key = rate.key if rate else None
            used[(is_small, key)] = (months, headcount, limit) + ((rate,) if rate else ())
    return _Rules(
        year=params.as_of.year,
        min_months=months.value,
        small_max_headcount=headcount.value,
        small_limit=small.value,
        target_limit=target.value,
        large_rate=large.value,
        sme_rate=sme.value,
        used=used,
        small_limit_text=f"{headcount.value}人（含）以下，裁员率上限 {format_percent(small.value)}",
        target_limit_text=f"{headcount.value}人以上，裁员率上限为上年度全国城镇调查失业率控制目标 "
        f"{format_percent(target.value)}",
    )


def _rate(entity_type: str, size_class: str | None, rules: _Rules) -> tuple[str | None, Decimal | None, str]:
    """(parameter key, percent, label) of the refund rate; public institutions have none."""
    if entity_type == PUBLIC_INSTITUTION:
        return None, None, "财政供款的事业单位：不适用"
    if entity_type != ENTERPRISE:
        return SME_RATE, rules.sme_rate, "参照中小微企业执行的单位"
    if size_class not in SIZE_CLASSES:
        raise ValueError(f"企业缺少有效的企业划型：{size_class}")
    if size_class == "large":
        return LARGE_RATE, rules.large_rate, "大型企业"
    return SME_RATE, rules.sme_rate, "中小微企业"


# Messages of the reasons whose full text carries figures, when no explanation is wanted (the batch stores
# codes only; its explanation page recomputes with explain=True).
INSUFFICIENT_MONTHS = Reason("insufficient_months", "足额缴纳失业保险费月数不足")
LAYOFF_RATE_EXCEEDED = Reason("layoff_rate_exceeded", "裁员率超过上限")


@scheme_in_force(NAME, {"rate_percent": None})
def calculate(facts: StableJobRefundFacts, params: ParameterSnapshot, *, explain: bool = True) -> Result:
    """`explain=False` (the refund batch) decides exactly the same — eligibility, reason codes, rate,
    amount, parameters, data — with constant reason messages and no steps."""
    rules: _Rules = params.memo(NAME, _compile)
    if facts.facts_year != rules.year:
        raise ValueError(f"参数快照日期 {params.as_of.isoformat()} 不在事实年度 {facts.facts_year} 内")
    entity_type = facts.entity_type
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"未知的参保单位类型：{entity_type}")
    start, end = facts.headcount_start, facts.headcount_end
    if start < 0 or end < 0:
        raise ValueError("参保人数不能为负数")

    reasons = []
    months_ok = facts.months_paid_in_full >= rules.min_months
    if not months_ok:
        reasons.append(
            Reason(
                "insufficient_months",
                f"足额缴纳失业保险费 {facts.months_paid_in_full} 个月，不足 {rules.min_months} 个月",
            )
            if explain
            else INSUFFICIENT_MONTHS
        )
    if facts.has_arrears:
        reasons.append(ARREARS)

    layoffs = start - end if start > end else 0
    is_small = start <= rules.small_max_headcount
    limit = rules.small_limit if is_small else rules.target_limit
    # layoffs / start <= limit% without dividing: exact, and cheap in a million-row run.
    layoff_ok = start == 0 or layoffs * 100 <= limit * start
    layoff_percent = (
        (Decimal(layoffs * 100) / start).quantize(PERCENT_PLACES, ROUND_HALF_UP) if layoffs else ZERO
    )
    if not layoff_ok:
        reasons.append(
            Reason("layoff_rate_exceeded", f"裁员率 {layoff_percent}% 超过上限 {format_percent(limit)}")
            if explain
            else LAYOFF_RATE_EXCEEDED
        )
    if facts.serious_dishonesty:
        reasons.append(SERIOUS_DISHONESTY)

    if entity_type == PUBLIC_INSTITUTION:
        reasons.append(NOT_COVERED)
    rate_key, rate, rate_text = _rate(entity_type, facts.size_class, rules)

    eligible = not reasons and rate is not None  # no rate only for entities the refund does not cover
    amount = round_money(facts.contributions_paid * rate / 100) if eligible and rate is not None else ZERO
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount,
        reasons=tuple(reasons),
        steps=_steps(facts, rules, months_ok, is_small, layoff_ok, layoff_percent, rate, rate_text, eligible, amount)
        if explain
        else (),
        parameters=rules.used[(is_small, rate_key)],
        data={
            "entity_type": entity_type,
            "size_class": facts.size_class,
            "rate_percent": rate,
            "layoffs": layoffs,
            "layoff_rate_percent": layoff_percent,
            "layoff_limit_percent": limit,
        },
    )


def _steps(facts: StableJobRefundFacts, rules: _Rules, months_ok: bool, is_small: bool, layoff_ok: bool,
           layoff_percent: Decimal, rate: Decimal | None, rate_text: str, eligible: bool,
           amount: Decimal) -> tuple[Step, ...]:
    """The explanation of a decision already taken (display only: every verdict is passed in)."""
    start, end = facts.headcount_start, facts.headcount_end
    paid = format_money(facts.contributions_paid)
    limit_text = rules.small_limit_text if is_small else rules.target_limit_text
    if start:
        layoff_formula = f"({start} − {end}) ÷ {start} = {layoff_percent}%；{limit_text}"
    else:
        layoff_formula = f"年初参保人数为 0，裁员率按 0 计；{limit_text}"
    arrears_text = "有" if facts.has_arrears else "无"
    dishonesty_text = "是" if facts.serious_dishonesty else "否"
    return (
        Step(
            "足额缴费月数",
            f"{facts.months_paid_in_full} 个月（要求 ≥ {rules.min_months} 个月）",
            "符合" if months_ok else "不符合",
        ),
        Step(
            "欠费与失信",
            f"欠费：{arrears_text}；严重失信：{dishonesty_text}",
            "不符合" if facts.has_arrears or facts.serious_dishonesty else "符合",
        ),
        Step("裁员率", layoff_formula, "符合" if layoff_ok else "不符合"),
        Step("返还比例", rate_text, format_percent(rate) if rate is not None else "不适用"),
        Step(
            "返还金额",
            f"{format_percent(rate)} × {paid} = {format_money(amount)}" if eligible and rate is not None
            else "不符合条件",
            format_money(amount),
        ),
    )
