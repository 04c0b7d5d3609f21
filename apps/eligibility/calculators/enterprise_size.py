"""R1.1 — enterprise size (企业划型), 《中小企业划型标准规定》工信部联企业〔2011〕300号.

The threshold table is a parameter (`enterprise_size.thresholds`). Per industry there are three
bound sets — large, medium, small — each a conjunction of lower bounds on employees (人),
operating revenue and total assets (万元). The firm takes the first class whose bounds it meets,
else micro.

Unknown figures (documented assumption): a bound whose figure is unknown is skipped, so the
test falls back to the figures that are known (usually employees alone); a test none of whose
figures is known is not met. Unknown employees fall back to the insured headcount of December
of the facts year. The steps say which figures were unknown.
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
    require_snapshot_year,
    scheme_in_force,
    year_end,
)

NAME = "enterprise-size"
# Bump when a change of this module can alter a decision (apps.eligibility.fingerprints; golden cases).
VERSION = "1"
CLASSES = ("large", "medium", "small")  # tested in this order; none met -> micro
CLASS_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
MEASURE_NAMES = {"employees": "从业人员", "revenue": "营业收入", "assets": "资产总额"}
MEASURE_UNITS = {"employees": "人", "revenue": "万元", "assets": "万元"}


@dataclass(frozen=True)
class EnterpriseSizeFacts:
    facts_year: int
    industry: str  # a key of the threshold table, e.g. "industrial", "retail", "other"
    employees: int | None = None  # 从业人员
    revenue: Decimal | None = None  # 营业收入，万元
    total_assets: Decimal | None = None  # 资产总额，万元
    insured_headcount_december: int | None = None  # 事实年度12月参保人数


def snapshot_date(facts: EnterpriseSizeFacts) -> date:
    return year_end(facts.facts_year)


def _compile(params: ParameterSnapshot) -> dict:
    # Once per snapshot: JSON strings/ints -> Decimal bounds, in test order, and the measures each
    # industry's tests use.
    table = params.get("enterprise_size.thresholds")
    rows = {}
    for industry, row in table.value.items():
        tests = tuple((cls, {m: Decimal(str(v)) for m, v in row[cls].items()}) for cls in CLASSES)
        used = tuple(sorted({m for _, bounds in tests for m in bounds}))
        rows[industry] = (row["name"], tests, used)
    return {"parameter": table, "parameters": (table,), "rows": rows}


def _format(value) -> str:
    return f"{value:,}"


def _meets(bounds: dict, figures: dict) -> bool:
    """The rule of one class: every known figure reaches its bound, and at least one figure is known."""
    known = False
    for m, bound in bounds.items():
        figure = figures[m]
        if figure is not None:
            if figure < bound:
                return False
            known = True
    return known


@scheme_in_force(NAME, {"size_class": None})
def calculate(facts: EnterpriseSizeFacts, params: ParameterSnapshot, *, explain: bool = True) -> Result:
    """`explain=False` (the refund batch) decides exactly the same and leaves `steps` empty."""
    require_snapshot_year(params, facts.facts_year)
    compiled = params.memo(NAME, _compile)
    parameters = compiled["parameters"]  # one tuple per snapshot: callers may key caches on it
    try:
        industry_name, tests, used_measures = compiled["rows"][facts.industry]
    except KeyError:
        reason = Reason("unknown_industry", f"划型标准表中没有行业“{facts.industry}”" if explain else "划型标准表中没有该行业")
        return Result(
            calculator=NAME,
            eligible=False,
            amount=ZERO,
            reasons=(reason,),
            steps=(),
            parameters=parameters,
            data={"size_class": None},
        )

    employees = facts.employees
    fallback = employees is None and facts.insured_headcount_december is not None
    if fallback:
        employees = facts.insured_headcount_december
    figures = {"employees": employees, "revenue": facts.revenue, "assets": facts.total_assets}
    unknown = tuple(m for m in used_measures if figures[m] is None)

    size_class = "micro"
    for cls, bounds in tests:
        if _meets(bounds, figures):
            size_class = cls
            break
    data = {"size_class": size_class, "industry": facts.industry, "employees": employees, "unknown_figures": unknown}
    return Result(
        calculator=NAME,
        eligible=True,
        amount=ZERO,
        reasons=(),
        steps=_steps(facts, industry_name, tests, figures, unknown, fallback, size_class) if explain else (),
        parameters=parameters,
        data=data,
    )


def _steps(facts: EnterpriseSizeFacts, industry_name: str, tests, figures: dict, unknown: tuple, fallback: bool,
           size_class: str) -> tuple[Step, ...]:
    """The explanation of a decision already taken (display only: the verdicts come from `_meets`)."""
    steps = []
    if fallback:
        steps.append(
            Step("从业人员", f"从业人员数未知，按{facts.facts_year}年12月参保人数计", f"{figures['employees']} 人")
        )
    if unknown:
        names = "、".join(MEASURE_NAMES[m] for m in unknown)
        steps.append(Step("缺失数据", f"{names}未知：相应指标跳过，仅按已知指标划型（假设）", names + "未知"))
    for cls, bounds in tests:
        parts = []
        for m, bound in bounds.items():
            if figures[m] is None:
                parts.append(f"{MEASURE_NAMES[m]}未知（跳过）")
            else:
                ok = figures[m] >= bound
                parts.append(
                    f"{MEASURE_NAMES[m]} {_format(figures[m])} {'≥' if ok else '<'} "
                    f"{_format(bound)}{MEASURE_UNITS[m]}"
                )
        met = cls == size_class
        steps.append(Step(f"{CLASS_NAMES[cls]}企业标准", "；".join(parts), "符合" if met else "不符合"))
        if met:
            break
    steps.append(Step("划型结果", industry_name, CLASS_NAMES[size_class] + "企业"))
    return tuple(steps)
