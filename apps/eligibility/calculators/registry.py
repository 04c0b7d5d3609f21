"""Calculator name (as used in URLs) -> calculator, its facts dataclass and its as-of date.

`build_facts` turns decoded JSON into a facts dataclass from the field types alone, so the API
layer needs no per-calculator serializer: dates from ISO strings, money and rates from strings
(never floats), sets from lists.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from . import (
    birth_reward,
    border_village_birth,
    child_rearing,
    childcare_operating,
    childcare_subsidy,
    elderly_care_incentive,
    enterprise_size,
    fraud_penalty,
    leave,
    maternity,
    maternity_medical,
    preschool_aid,
    stable_job_refund,
    startup_loan,
    training,
)
from .base import ParameterSnapshot, Result


@dataclass(frozen=True)
class Calculator:
    name: str
    title: str  # Chinese, for pages and notices
    facts_type: type
    calculate: Callable[[Any, ParameterSnapshot], Result]
    snapshot_date: Callable[[Any], date]  # which date's parameters apply to these facts
    version: str = "1"  # the module's VERSION: part of every stored decision's fingerprint
    # Earlier VERSIONs whose stored decisions this code recomputes exactly (the module's REPRODUCES).
    reproduces: frozenset[str] = frozenset()


def _entry(module, title: str, facts_type: type) -> Calculator:
    return Calculator(module.NAME, title, facts_type, module.calculate, module.snapshot_date, module.VERSION,
                      getattr(module, "REPRODUCES", frozenset()))


CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in (
        _entry(maternity, "灵活就业人员生育津贴", maternity.MaternityFacts),
        _entry(maternity_medical, "灵活就业人员生育医疗费用", maternity_medical.MaternityMedicalFacts),
        _entry(childcare_subsidy, "国家育儿补贴", childcare_subsidy.ChildcareSubsidyFacts),
        _entry(birth_reward, "二孩、三孩生育奖励", birth_reward.BirthRewardFacts),
        _entry(border_village_birth, "边境村生育奖励", border_village_birth.BorderVillageBirthFacts),
        _entry(child_rearing, "儿童养育补贴", child_rearing.ChildRearingFacts),
        _entry(childcare_operating, "普惠托育服务补助", childcare_operating.ChildcareOperatingFacts),
        _entry(preschool_aid, "学前教育资助", preschool_aid.PreschoolAidFacts),
        _entry(leave, "生育、育儿及照护假期", leave.LeaveFacts),
        _entry(enterprise_size, "企业划型", enterprise_size.EnterpriseSizeFacts),
        _entry(stable_job_refund, "失业保险稳岗返还", stable_job_refund.StableJobRefundFacts),
        _entry(training, "职业培训及技能评价补贴", training.TrainingFacts),
        _entry(fraud_penalty, "工伤医保冒用处罚", fraud_penalty.FraudPenaltyFacts),
        _entry(elderly_care_incentive, "养老服务人才激励补贴", elderly_care_incentive.ElderlyCareIncentiveFacts),
        _entry(startup_loan, "创业担保贷款及贴息", startup_loan.StartupLoanFacts),
    )
}


class FactsError(ValueError):
    """Invalid facts; `errors` maps field name -> Chinese message (for the API's "fields") and
    `codes` field name -> stable machine code: required, unknown_field or invalid."""

    def __init__(self, errors: dict[str, str], codes: dict[str, str] | None = None):
        self.errors = errors
        self.codes = {name: (codes or {}).get(name, "invalid") for name in errors}
        super().__init__("；".join(f"{k}: {v}" for k, v in errors.items()))


def build_facts(facts_type: type, data: Mapping[str, Any]):
    hints = typing.get_type_hints(facts_type)
    fields = {f.name: f for f in dataclasses.fields(facts_type)}
    errors = {name: "未知字段" for name in data if name not in fields}
    codes = {name: "unknown_field" for name in errors}
    values = {}
    for name, field in fields.items():
        if name not in data:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                errors[name] = "必填"
                codes[name] = "required"
            continue
        try:
            values[name] = _convert(hints[name], data[name])
        except (TypeError, ValueError, InvalidOperation) as error:
            errors[name] = str(error) or "格式不正确"
    if errors:
        raise FactsError(errors, codes)
    return facts_type(**values)


def _convert(hint: Any, raw: Any) -> Any:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType):  # "X | None"
        if raw is None:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, raw)
    if raw is None:
        raise ValueError("不能为空")
    origin = typing.get_origin(hint)
    if origin is frozenset:
        if not isinstance(raw, list):
            raise TypeError("应为列表")
        return frozenset(_convert(args[0], item) for item in raw)
    if origin is tuple:  # "tuple[int, ...]": a list of counts, e.g. one per month
        if not isinstance(raw, list):
            raise TypeError("应为列表")
        return tuple(_convert(args[0], item) for item in raw)
    if hint is bool:
        if not isinstance(raw, bool):
            raise TypeError("应为 true 或 false")
        return raw
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("应为整数")
        return raw
    if hint is Decimal:
        if isinstance(raw, float):  # a float has already lost the fen; ask for a string
            raise TypeError('金额应以字符串传递，例如 "1234.50"')
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise TypeError("应为数字字符串")
        try:
            value = Decimal(raw)
        except InvalidOperation:  # its own message is "[<class 'decimal.ConversionSyntax'>]"
            raise ValueError('应为数字，例如 "1234.50"') from None
        if not value.is_finite():
            raise ValueError("应为有限数字")
        return value
    if hint is date:
        if not isinstance(raw, str):
            raise TypeError("日期应为 YYYY-MM-DD")
        try:
            return date.fromisoformat(raw)
        except ValueError:  # its own message is English ("Invalid isoformat string")
            raise ValueError("日期应为 YYYY-MM-DD，且为有效日期") from None
    if hint is str:
        if not isinstance(raw, str):
            raise TypeError("应为字符串")
        return raw
    raise TypeError(f"不支持的字段类型 {hint!r}")
