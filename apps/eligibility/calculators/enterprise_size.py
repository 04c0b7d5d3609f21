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

from .base import ZERO, ParameterSnapshot, Reason, Result, Step, require_snapshot_year, year_end

NAME = "enterprise-size"
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
    # Once per snapshot: JSON strings/ints -> Decimal bounds, in test order.
    table = params.get("enterprise_size.thresholds")
    rows = {
        industry: (
            row["name"],
            tuple((cls, {m: Decimal(str(v)) for m, v in row[cls].items()}) for cls in CLASSES),
        )
        for industry, row in table.value.items()
    }
    return {"parameter": table, "rows": rows}


def _format(value) -> str:
    return f"{value:,}"


def calculate(facts: EnterpriseSizeFacts, params: ParameterSnapshot) -> Result:
    require_snapshot_year(params, facts.facts_year)
    compiled = params.memo(NAME, _compile)
    table = compiled["parameter"]
    try:
        industry_name, tests = compiled["rows"][facts.industry]
    except KeyError:
        reason = Reason("unknown_industry", f"划型标准表中没有行业“{facts.industry}”")
        return Result(
            calculator=NAME,
            eligible=False,
            amount=ZERO,
            reasons=(reason,),
            steps=(),
            parameters=(table,),
            data={"size_class": None},
        )

    steps = []
    employees = facts.employees
    if employees is None and facts.insured_headcount_december is not None:
        employees = facts.insured_headcount_december
        steps.append(
            Step("从业人员", f"从业人员数未知，按{facts.facts_year}年12月参保人数计", f"{employees} 人")
        )
    figures = {"employees": employees, "revenue": facts.revenue, "assets": facts.total_assets}
    used_measures = {m for _, bounds in tests for m in bounds}
    unknown = sorted(m for m in used_measures if figures[m] is None)
    if unknown:
        names = "、".join(MEASURE_NAMES[m] for m in unknown)
        steps.append(Step("缺失数据", f"{names}未知：相应指标跳过，仅按已知指标划型（假设）", names + "未知"))

    size_class = "micro"
    for cls, bounds in tests:
        parts, met = [], True
        known = [m for m in bounds if figures[m] is not None]
        for m, bound in bounds.items():
            if figures[m] is None:
                parts.append(f"{MEASURE_NAMES[m]}未知（跳过）")
            else:
                ok = figures[m] >= bound
                met = met and ok
                parts.append(
                    f"{MEASURE_NAMES[m]} {_format(figures[m])} {'≥' if ok else '<'} "
                    f"{_format(bound)}{MEASURE_UNITS[m]}"
                )
        met = met and bool(known)
        steps.append(Step(f"{CLASS_NAMES[cls]}企业标准", "；".join(parts), "符合" if met else "不符合"))
        if met:
            size_class = cls
            break
    steps.append(Step("划型结果", industry_name, CLASS_NAMES[size_class] + "企业"))
    return Result(
        calculator=NAME,
        eligible=True,
        amount=ZERO,
        reasons=(),
        steps=tuple(steps),
        parameters=(table,),
        data={
            "size_class": size_class,
            "industry": facts.industry,
            "employees": employees,
            "unknown_figures": tuple(unknown),
        },
    )
