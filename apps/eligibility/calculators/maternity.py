"""R2 — maternity allowance (生育津贴) of flexible workers in Jilin.

allowance = contribution base ÷ 30 × 98 days, for flexible workers meeting the continuous-enrollment rule
(生育津贴以缴费基数为计发基数，按98天核定).

The contribution base is the person's own, as recorded on their insurance enrollment (money, rounded to
the fen). Only when none is recorded does the calculator fall back to the rule's base for flexible
workers: 83% (a parameter) × the previous year's provincial average monthly wage. The steps say which.

Dates (关于优化灵活就业人员等群体医疗和生育保障有关政策的通知): the parts on the contribution base, the rate
and maternity benefits apply “自上年度社平工资公布次月起”; the other parts from May 2025 (the maternity.*
parameters start then). Each year's average wage is published on a day that is data — the table parameter
social.provincial_average_wage_by_year holds, per wage year, the monthly wage and the day it was published.
On a delivery date D the wage that applies is the latest one published in a month before D's month; when
none is (D falls before the first publication's next month), the benefit is not in force yet.

The snapshot is taken as of the delivery date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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

NAME = "maternity-allowance"
WAGE_TABLE = "social.provincial_average_wage_by_year"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "2"  # 2: own contribution base, publication month (issue 12 fault 4); no scheme in force (fault 6)


@dataclass(frozen=True)
class MaternityFacts:
    delivery_date: date
    flexible_worker: bool  # 以灵活就业人员身份参加职工医保（同步参加生育保险）
    continuous_enrollment_months: int
    # The person's own monthly contribution base from their enrollment; None = none recorded.
    contribution_base: Decimal | None = None


@dataclass(frozen=True)
class PublishedWage:
    year: int  # the year the wage is for
    monthly_wage: Decimal
    published_on: date

    @property
    def applies_from(self) -> date:
        """The first day of the month after publication (公布次月起)."""
        month = self.published_on.month
        return date(self.published_on.year + month // 12, month % 12 + 1, 1)


def snapshot_date(facts: MaternityFacts) -> date:
    return facts.delivery_date


def published_wages(params: ParameterSnapshot) -> tuple[PublishedWage, ...]:
    """The wage table, compiled once per snapshot, oldest wage year first."""

    def build(snapshot: ParameterSnapshot) -> tuple[PublishedWage, ...]:
        rows = snapshot.get(WAGE_TABLE).value
        return tuple(sorted(
            (PublishedWage(int(year), Decimal(str(row["monthly_wage"])), date.fromisoformat(row["published_on"]))
             for year, row in rows.items()),
            key=lambda wage: wage.year))

    return params.memo(WAGE_TABLE, build)


def wage_on(params: ParameterSnapshot, day: date) -> PublishedWage | None:
    """The average wage that applies on `day`: the latest one whose next month has begun."""
    applicable = [wage for wage in published_wages(params) if wage.applies_from <= day]
    return applicable[-1] if applicable else None


def format_exact(value: Decimal) -> str:
    """Money as the calculation holds it: 6,225.00, or 4,998.675 when there are more digits than the fen."""
    if value == value.quantize(Decimal("0.01")):
        return format_money(value)
    return f"{value.normalize():,f}"


def _allowance_text(allowance: Decimal) -> str:
    """The allowance before rounding, exactly when it has few digits (16,329.005), else the rounded figure
    marked as rounded (a ÷ 30 may not terminate)."""
    rounded = round_money(allowance)
    if allowance == rounded:
        return format_money(rounded)
    exponent = allowance.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -6:
        return f"{format_exact(allowance)}，四舍五入到分"
    return f"{format_money(rounded)}（四舍五入到分）"


@scheme_in_force(NAME)
def calculate(facts: MaternityFacts, params: ParameterSnapshot) -> Result:
    table = params.get(WAGE_TABLE)
    divisor = params.get("maternity.daily_base_divisor")
    days = params.get("maternity.allowance_days")
    required = params.get("maternity.continuous_enrollment_months")
    if facts.contribution_base is not None and facts.contribution_base < 0:
        raise ValueError("缴费基数不能为负数")

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
    wage = wage_on(params, facts.delivery_date)
    if wage is None:
        first = published_wages(params)[0] if published_wages(params) else None
        when = (f"{first.year}年度社平工资于 {first.published_on.isoformat()} 公布，{first.applies_from.isoformat()} 起施行"
                if first else "上年度社平工资尚未公布")
        reasons.append(Reason("benefit_not_in_force",
                              f"分娩日期 {facts.delivery_date.isoformat()} 早于施行日期：缴费基数、费率和生育保险待遇"
                              f"自上年度社平工资公布次月起施行（{when}）"))

    used = [table]
    if facts.contribution_base is not None:
        base = round_money(facts.contribution_base)
        source = "enrollment"
        base_step = Step("缴费基数（本人参保登记）", f"本人参保登记的缴费基数 {format_money(base)} 元/月",
                         format_money(base))
    else:
        base_rate = params.get("maternity.contribution_base_rate")
        used.append(base_rate)
        source = "average_wage"
        monthly_wage = wage.monthly_wage if wage is not None else ZERO
        base = monthly_wage * percent_of(base_rate.value)  # not rounded: the allowance is rounded once
        base_step = Step("缴费基数（未登记本人缴费基数，按上年度社平工资比例）",
                         f"{format_percent(base_rate.value)} × {format_money(monthly_wage)} = {format_exact(base)}",
                         format_exact(base))
    used += [divisor, days, required]

    # Multiply before dividing so the only inexact operation is the last one.
    allowance = base * days.value / divisor.value
    eligible = not reasons
    amount = round_money(allowance) if eligible else ZERO
    result_text = _allowance_text(allowance)
    if wage is not None:
        wage_step = Step("适用社平工资",
                         f"{wage.year}年度全省社平工资 {format_money(wage.monthly_wage)} 元/月，"
                         f"{wage.published_on.isoformat()} 公布，{wage.applies_from.isoformat()} 起适用",
                         f"{facts.delivery_date.isoformat()} 分娩，适用")
    else:
        wage_step = Step("适用社平工资", "分娩时尚无已施行的上年度社平工资", "未施行")

    steps = (
        Step(
            "连续参保月数",
            f"{facts.continuous_enrollment_months} 个月（规定 ≥ {required.value} 个月）",
            "符合" if facts.continuous_enrollment_months >= required.value else "不符合",
        ),
        base_step,
        Step(
            "生育津贴",
            f"{format_exact(base)} ÷ {divisor.value} × {days.value} 天 = {result_text}",
            format_money(amount) if eligible else "不符合条件，0.00",
        ),
        wage_step,
    )
    return Result(
        calculator=NAME,
        eligible=eligible,
        amount=amount,
        reasons=tuple(reasons),
        steps=steps,
        parameters=tuple(used),
        data={
            "contribution_base": round_money(base),
            "contribution_base_source": source,
            "wage_year": wage.year if wage is not None else None,
            "required_enrollment_months": required.value,
            "allowance_days": days.value,
        },
    )
