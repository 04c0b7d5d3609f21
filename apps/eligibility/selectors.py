"""Reads: compute a result without storing it, the as-of parameter lookup, scoped determinations and matches.

Computing is a read — it writes nothing — so the API, the calculator page, the benefits panel, the
daily matching job and `determination_create` all come through `calculation_compute`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.filters import filter_or_raise
from apps.core.models import Region
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.core.validators import validate_birth_date, validate_delivery_date, validate_non_negative
from apps.eligibility.calculator_fields import calculator_fields, choice_errors
from apps.eligibility.calculators.base import FactRefused, MissingParameter, ParameterSnapshot, Result
from apps.eligibility.calculators.registry import CALCULATORS, Calculator, FactsError, build_facts
from apps.eligibility.filters import BenefitMatchFilter, DeterminationFilter
from apps.eligibility.models import BenefitMatch, Determination
from apps.eligibility.parameters import parameter_snapshot, root_region_code


class FactsInvalid(ApplicationError):
    """Bad facts: `fields` {fact: [Chinese message]} and `codes` {fact: stable code} for the API."""

    def __init__(self, errors: Mapping[str, str], codes: Mapping[str, str]):
        super().__init__("facts_invalid", "测算事实有误，请按字段提示修改。", {k: [v] for k, v in errors.items()})
        self.codes = dict(codes)


@dataclass(frozen=True)
class Calculation:
    calculator: Calculator
    facts: Any  # the calculator's facts dataclass
    as_of: date
    region_code: str
    result: Result

    @property
    def facts_json(self) -> dict:
        return facts_to_json(self.facts)

    def to_dict(self) -> dict:
        return {**self.result.to_dict(), "title": self.calculator.title, "as_of": self.as_of.isoformat(),
                "region": self.region_code, "facts": self.facts_json}


def facts_to_json(facts: Any) -> dict:
    """The facts as the API takes them (and as a determination stores them): dates ISO, money strings."""

    def safe(value):
        if isinstance(value, frozenset | set):
            return sorted(value)
        if isinstance(value, Decimal | date):
            return str(value) if isinstance(value, Decimal) else value.isoformat()
        return value

    return {f.name: safe(getattr(facts, f.name)) for f in dataclasses.fields(facts)}


def calculator_get(name: str) -> Calculator:
    try:
        return CALCULATORS[name]
    except KeyError:
        raise NotFoundError("calculator_not_found", f"没有名为“{name}”的测算项目。") from None


def facts_parse(calculator: Calculator, data: Mapping[str, Any]) -> Any:
    """JSON facts -> the facts dataclass, every problem reported against its field in Chinese."""
    if not isinstance(data, Mapping):
        raise FactsInvalid({"non_field_errors": "应为 JSON 对象"}, {"non_field_errors": "invalid"})
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    try:
        facts = build_facts(calculator.facts_type, data)
    except FactsError as error:
        errors, codes = dict(error.errors), dict(error.codes)
        facts = None
    for name, message in choice_errors(calculator_fields(calculator), data).items():
        if name not in errors:
            errors[name], codes[name] = message, "invalid_choice"
    if facts is not None:
        for name, problem in impossible_facts(facts).items():
            if name not in errors:
                errors[name], codes[name] = problem.messages[0], problem.error_list[0].code or "invalid"
    if errors:
        raise FactsInvalid(errors, codes)
    return facts


def impossible_facts(facts: Any) -> dict[str, ValidationError]:
    """Facts no person or employer can have, by the field's type and name (one rule for every calculator):
    a count, a number of months or an amount below zero; a birth date (`…birth_date`) after today; a delivery
    date (`delivery_date`) further ahead than a pregnancy lasts. The checks are apps.core.validators'."""
    problems = {}
    for field in dataclasses.fields(facts):
        value = getattr(facts, field.name)
        checks: list = []
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            checks.append(validate_non_negative)
        elif isinstance(value, tuple):  # counts per month: each one is a count
            checks.append(_each(validate_non_negative))
        elif isinstance(value, date):
            if field.name.endswith("birth_date"):
                checks.append(validate_birth_date)
            elif field.name == "delivery_date":
                checks.append(validate_delivery_date)
        for check in checks:
            try:
                check(value)
            except ValidationError as error:
                problems[field.name] = error
                break
    return problems


def _each(check):
    def each(values) -> None:
        for value in values:
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                check(value)

    return each


def region_code_check(region_code: str | None) -> str:
    code = region_code or root_region_code()
    if not Region.objects.filter(code=code).exists():
        raise ApplicationError("unknown_region", f"区划代码“{code}”不存在。", {"region": ["区划代码不存在"]})
    return code


def calculation_compute(*, calculator: Calculator, facts: Any, region_code: str, as_of: date | None = None,
                        snapshots: dict | None = None) -> Calculation:
    """Compute with the parameters in force on the calculator's date for these facts (or `as_of`).

    `snapshots` is a cache {(as_of, region): snapshot} for callers that compute many times (the daily job).
    """
    as_of = as_of or calculator.snapshot_date(facts)
    key = (as_of, region_code)
    snapshot: ParameterSnapshot | None = snapshots.get(key) if snapshots is not None else None
    if snapshot is None:
        snapshot = parameter_snapshot(as_of=as_of, region_code=region_code)
        if snapshots is not None:
            snapshots[key] = snapshot
    try:
        result = calculator.calculate(facts, snapshot)
    except MissingParameter as error:
        raise ApplicationError("missing_parameter", str(error)) from error
    except FactRefused as error:  # a fact the calculator names: reported against its field
        raise FactsInvalid({error.field: error.message}, {error.field: error.code}) from error
    except ValueError as error:  # a fact the calculator refuses (negative headcount, unknown industry key…)
        raise ApplicationError("facts_rejected", f"测算无法进行：{error}") from error
    return Calculation(calculator=calculator, facts=facts, as_of=as_of, region_code=region_code, result=result)


def parameter_list(*, as_of: date, region_code: str) -> list[dict]:
    """The as-of lookup: every parameter in force that day for that region, with version and source —
    in the very shape a result lists the parameters it used."""
    snapshot = parameter_snapshot(as_of=as_of, region_code=region_code)
    used = tuple(snapshot.get(key) for key in sorted(snapshot.keys()))
    return Result(calculator="", eligible=True, amount=Decimal(0), reasons=(), steps=(), parameters=used
                  ).to_dict()["parameters"]


# ---------------------------------------------------------------- determinations and matches


def determination_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Determination]:
    queryset = scope_queryset(
        Determination.objects.select_related("region", "person", "employer", "created_by"), user)
    return filter_or_raise(DeterminationFilter, filters, queryset)


def determination_get(*, user, pk: int) -> Determination:
    return cast(Determination, get_scoped_or_404(
        Determination.objects.select_related("region", "person", "employer", "created_by"), user, pk=pk))


def determination_compare(*, determination: Determination) -> dict:
    """按当前参数重算: the same facts, date and region with the parameters as they are in the database now."""
    calculator = calculator_get(determination.calculator)
    facts = facts_parse(calculator, determination.facts)
    now = calculation_compute(calculator=calculator, facts=facts, region_code=determination.region_id,
                              as_of=determination.as_of)
    current = now.result.to_dict()
    stored: dict[str, Any] = determination.result or {}
    stored_params = {p["key"]: p for p in stored["parameters"]}
    current_params = {p["key"]: p for p in current["parameters"]}
    rows = []
    for key in sorted(stored_params.keys() | current_params.keys()):
        old, new = stored_params.get(key), current_params.get(key)
        changed = old is None or new is None or old["value"] != new["value"] or old["version"] != new["version"]
        shown: dict[str, Any] = new or old or {}  # in at least one of the two
        rows.append({"key": key, "name": shown["name"], "old": old, "new": new, "changed": changed,
                     # Same row id, other value: the version was edited in place rather than superseded.
                     "edited_in_place": bool(old and new and old["version"] == new["version"]
                                             and old["value"] != new["value"])})
    return {"result": current, "amount": now.result.amount, "eligible": now.result.eligible,
            "amount_changed": now.result.amount != determination.amount,
            "eligible_changed": now.result.eligible != determination.eligible,
            "parameters": rows, "any_parameter_changed": any(r["changed"] for r in rows)}


def benefit_match_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[BenefitMatch]:
    queryset = scope_queryset(
        BenefitMatch.objects.select_related("person", "person__region", "resolved_by"), user, "person__region")
    return filter_or_raise(BenefitMatchFilter, filters, queryset)


def benefit_match_get(*, user, pk: int) -> BenefitMatch:
    return cast(BenefitMatch, get_scoped_or_404(BenefitMatch.objects.select_related("person"), user,
                                                "person__region", pk=pk))
