"""Panels other apps' pages include with one line, and small filters for showing results.

`{% benefits_panel person %}` / `{% employer_panel employer %}` compute here, so the applicants and
employers views need no change: the page already proved the user may see the record.
"""

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.money import format_money
from apps.eligibility.calculator_fields import LABELS, value_labels
from apps.eligibility.calculators import enterprise_size, leave, stable_job_refund
from apps.eligibility.providers import EMPLOYER, fact_provider, person_facts
from apps.eligibility.selectors import (
    calculation_compute,
    calculator_get,
    determination_list,
    facts_to_json,
)

register = template.Library()

RECENT_DETERMINATIONS = 5


@register.inclusion_tag("eligibility/_benefits_panel_body.html", takes_context=True)
def benefits_panel(context, person):
    as_of = timezone.localdate()
    items: list[dict[str, Any]] = []
    evaluated: set[str] = set()
    provider = person_facts()
    registry = provider.registry_context([person], as_of=as_of)  # a fixed number of queries, however many children
    entries = provider.benefit_entries(person, as_of=as_of, context=registry)
    snapshots: dict = {}
    for index, (name, facts, label, _subject) in enumerate(entries):
        calculator = calculator_get(name)
        evaluated.add(name)
        item = {"calculator": calculator, "label": label, "facts": facts_to_json(facts),
                "index": sum(1 for e in entries[:index] if e[0] == name),  # among this calculator's entries
                "prefix": f"benefit-{index}"}
        try:
            item["result"] = calculation_compute(calculator=calculator, facts=facts, region_code=person.region_id,
                                                 snapshots=snapshots).to_dict()
        except ApplicationError as error:
            item["error"] = error.message
        items.append(item)
    user = context.get("user")
    recent = determination_list(user=user, filters={"person": person.pk})[:RECENT_DETERMINATIONS] if user else []
    # 不符合 items (a border-village reward for a child of no border village…) fold away under one line each,
    # so the page leads with what the person can have; every explanation is still one click away.
    declined = [i for i in items if i.get("result") and not i["result"]["eligible"]]
    return {"person": person, "items": [i for i in items if i not in declined], "declined": declined,
            "as_of": as_of, "request": context.get("request"),
            "pending": provider.pending_benefits(person, as_of=as_of, evaluated=evaluated, context=registry),
            "recent": list(recent), "csrf_token": context.get("csrf_token"), "total": _total(items)}


def _total(items) -> Decimal:
    return sum((Decimal(i["result"]["amount"]) for i in items if i.get("result") and i["result"]["eligible"]),
               Decimal("0.00"))


@register.inclusion_tag("eligibility/_employer_panel_body.html", takes_context=True)
def employer_panel(context, employer):
    today = timezone.localdate()
    year = today.year - 1  # refund year Y = this year, facts of P = Y − 1
    size = refund = None
    errors = []
    try:
        entries = {e.calculator: e.facts for e in fact_provider(EMPLOYER).benefit_entries(employer, as_of=today,
                                                                                           year=year)}
        size_facts, refund_facts = entries[enterprise_size.NAME], entries[stable_job_refund.NAME]
        size = calculation_compute(calculator=calculator_get(enterprise_size.NAME), facts=size_facts,
                                   region_code=employer.region_id).to_dict()
        refund = calculation_compute(calculator=calculator_get(stable_job_refund.NAME), facts=refund_facts,
                                     region_code=employer.region_id).to_dict()
    except ApplicationError as error:
        errors.append(error.message)
    user = context.get("user")
    recent = determination_list(user=user, filters={"employer": employer.pk})[:RECENT_DETERMINATIONS] if user else []
    return {"employer": employer, "year": year, "refund_year": year + 1, "size": size, "refund": refund,
            "errors": errors, "recent": list(recent), "csrf_token": context.get("csrf_token"),
            "size_name": enterprise_size.CLASS_NAMES.get((size or {}).get("data", {}).get("size_class"), "")}


@register.filter
def parameter_value(value):
    """A parameter value for people: tables as their row names, lists joined, the rest as is."""
    if isinstance(value, dict):
        names = [str(row.get("name", key)) if isinstance(row, dict) else str(key) for key, row in value.items()]
        return "表格：" + "、".join(names)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


@register.filter
def fact_items(facts, calculator_name=""):
    """Stored facts as (Chinese label, value) pairs: booleans as 是/否, codes by their Chinese names."""
    labels = LABELS.get(calculator_name, {})
    names = value_labels(calculator_name) if facts else {}
    rows = []
    for key, value in (facts or {}).items():
        named = names.get(key, {})
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list):
            value = "、".join(str(named.get(str(v), v)) for v in value) or "无"
        elif value is None:
            value = "—"
        elif isinstance(value, str):
            value = named.get(value, value)
        rows.append((labels.get(key, key), value))
    return rows


@register.filter
def yuan(value):
    """A stored amount ("1234.5" in JSON, or Decimal) as 1,234.50."""
    if value in (None, ""):
        return ""
    try:
        return format_money(Decimal(str(value)))
    except ArithmeticError:
        return value


# Calculators whose result is a classification or days of leave, not money: no amount is shown.
WITHOUT_AMOUNT = {enterprise_size.NAME, leave.NAME}


@register.filter
def has_amount(calculator_name) -> bool:
    return calculator_name not in WITHOUT_AMOUNT


@register.filter
def size_class_name(size_class) -> str:
    name = enterprise_size.CLASS_NAMES.get(size_class)
    return f"{name}企业" if name else ""
