"""R9 — 公益性岗位兜底安置: the subsidy of one placement (安置) for one calendar month.

Source of the programme: 人力资源社会保障部《对十四届全国人大三次会议第…号建议的答复》人社建字〔2025〕84号 ("运用公岗兜底安置
… 对通过市场渠道确实难以实现就业的就业困难人员，予以托底安置"). The answer gives no amounts and no periods, so every
number here is a parameter shipped as 示例值 for the administrator to enter:

- `public_posts.post_subsidy_monthly` (岗位补贴) and `public_posts.social_insurance_subsidy_monthly` (社会保险补贴),
  yuan per person per whole month;
- `public_posts.tenure_limit_months`: the placement is paid up to the day before the same day that many months
  after its start (the Civil Code's month count, as fraud_penalty counts it), unless the placement was extended to
  retirement (the near-retirement renewal), when it is paid up to its agreed end.

The month rule (chosen, documented in docs/public_posts.md): **prorated by calendar days**. The paid days are the
days of the month on which the person is in post — from the start date, to the earliest of the agreed end date,
the exit date (离岗日期, the last day in post, inclusive) and the tenure limit's last day. A month with every day in
post is a whole month: (post + social insurance) × days ÷ days in the month is then exactly the monthly amount.
The rounding is done once, half-up to the fen, on the total. The parameters are those in force on the month's
first day (a new version from mid-month counts from the next month).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

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

NAME = "public-post-subsidy"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"


@dataclass(frozen=True)
class PublicPostSubsidyFacts:
    year: int
    month: int
    start_date: date  # the placement's first day in post
    agreed_end_date: date  # the agreed (or renewed) last day
    exit_date: date | None = None  # 离岗: the last day in post, inclusive
    extended_to_retirement: bool = False  # renewed past the tenure limit because near statutory retirement


def snapshot_date(facts: PublicPostSubsidyFacts) -> date:
    return date(facts.year, facts.month, 1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has none (01-31 + 1 → 02-28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def tenure_last_day(start: date, months: int) -> date:
    """The last day of a tenure of `months` months from `start` (start 03-15, 36 months → three years later 03-14)."""
    return add_months(start, months) - timedelta(days=1)


@scheme_in_force(NAME, {"days_in_post": 0, "days_in_month": 0, "post_subsidy": ZERO,
                        "social_insurance_subsidy": ZERO, "paid_until": None, "tenure_last_day": None})
def calculate(facts: PublicPostSubsidyFacts, params: ParameterSnapshot) -> Result:
    if not 1 <= facts.month <= 12:
        raise FactRefused("month", "invalid_month", "月份应为 1 至 12")
    if facts.agreed_end_date < facts.start_date:
        raise FactRefused("agreed_end_date", "end_before_start", "约定终止日期不能早于上岗日期")
    if facts.exit_date is not None and facts.exit_date < facts.start_date:
        raise FactRefused("exit_date", "exit_before_start", "离岗日期不能早于上岗日期")
    post = params.get("public_posts.post_subsidy_monthly")
    insurance = params.get("public_posts.social_insurance_subsidy_monthly")
    tenure = params.get("public_posts.tenure_limit_months")
    limit = tenure_last_day(facts.start_date, tenure.value)
    ends = [("约定终止日期", facts.agreed_end_date)]
    if facts.exit_date is not None:
        ends.append(("离岗日期", facts.exit_date))
    if not facts.extended_to_retirement:
        ends.append((f"安置期限（{tenure.value} 个月）届满", limit))
    end_label, paid_until = min(ends, key=lambda pair: pair[1])
    days_in_month = calendar.monthrange(facts.year, facts.month)[1]
    first, last = date(facts.year, facts.month, 1), date(facts.year, facts.month, days_in_month)
    span_start, span_end = max(first, facts.start_date), min(last, paid_until)
    days = max((span_end - span_start).days + 1, 0)
    monthly = post.value + insurance.value
    exact_post = post.value * days / days_in_month
    exact_insurance = insurance.value * days / days_in_month
    amount = round_money(exact_post + exact_insurance)
    reasons: tuple[Reason, ...] = ()
    if days == 0:
        reasons = (Reason("not_in_post", f"{facts.year}年{facts.month}月不在岗（上岗 {facts.start_date.isoformat()}，"
                                         f"{end_label} {paid_until.isoformat()}），当月无补贴"),)
    whole = days == days_in_month
    steps = (
        Step("当月在岗天数",
             f"{span_start.isoformat()} 至 {span_end.isoformat()}（{end_label} {paid_until.isoformat()}）"
             if days else "当月不在岗", f"{days} / {days_in_month} 天"),
        Step("岗位补贴", f"{format_money(post.value)} × {days} ÷ {days_in_month}" + ("（整月）" if whole else "（按日折算）"),
             format_money(exact_post)),
        Step("社会保险补贴", f"{format_money(insurance.value)} × {days} ÷ {days_in_month}", format_money(exact_insurance)),
        Step("合计（四舍五入到分）", f"{format_money(monthly)} × {days} ÷ {days_in_month}", format_money(amount)),
    )
    return Result(
        calculator=NAME, eligible=not reasons, amount=amount, reasons=reasons, steps=steps,
        parameters=(post, insurance, tenure),
        data={"days_in_post": days, "days_in_month": days_in_month, "post_subsidy": exact_post,
              "social_insurance_subsidy": exact_insurance, "paid_until": paid_until, "tenure_last_day": limit},
    )
