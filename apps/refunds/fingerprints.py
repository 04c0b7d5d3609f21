"""The fingerprint of one refund result row, computed in the same Python pass that writes the row (COPY).

The document is apps.eligibility.fingerprints' canonical JSON; the facts part is spelled out by hand here
(fixed keys, in sorted order) because json.dumps of a dict per row would cost seconds on a million rows.
`facts_document` is the slow, obvious form: the tests check both give the same bytes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from apps.core.money import FEN
from apps.eligibility.calculators import enterprise_size, stable_job_refund
from apps.eligibility.fingerprints import FingerprintTemplate, decimal_text, parameters_part

# R1.1 (enterprise size) then R1 (the refund): a row is decided by both.
CALCULATOR_VERSION = f"es{enterprise_size.VERSION}+sjr{stable_job_refund.VERSION}"

FACT_FIELDS = ("assets_10k", "contributions_paid", "employees", "entity_type", "has_arrears", "headcount_end",
               "headcount_start", "industry", "months_paid_in_full", "revenue_10k", "serious_dishonesty")

_STRINGS: dict[str, str] = {}


def _text(value: str) -> str:
    encoded = _STRINGS.get(value)
    if encoded is None:
        encoded = _STRINGS[value] = json.dumps(value, ensure_ascii=False)
    return encoded


def _money(value: Any) -> str:
    if value is None:
        return "null"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return f'"{decimal_text(value.quantize(FEN))}"'


def _int(value: Any) -> str:
    return "null" if value is None else str(int(value))


def facts_json(*, entity_type: str, industry: str, employees: int | None, revenue_10k: Any, assets_10k: Any,
               months_paid_in_full: int, has_arrears: bool, serious_dishonesty: bool, headcount_start: int,
               headcount_end: int, contributions_paid: Any) -> str:
    """The stored facts of a row as canonical JSON (keys sorted, money with its two places normalised)."""
    return (f'{{"assets_10k":{_money(assets_10k)},"contributions_paid":{_money(contributions_paid)},'
            f'"employees":{_int(employees)},"entity_type":{_text(entity_type)},'
            f'"has_arrears":{"true" if has_arrears else "false"},"headcount_end":{int(headcount_end)},'
            f'"headcount_start":{int(headcount_start)},"industry":{_text(industry)},'
            f'"months_paid_in_full":{int(months_paid_in_full)},"revenue_10k":{_money(revenue_10k)},'
            f'"serious_dishonesty":{"true" if serious_dishonesty else "false"}}}')


def facts_document(**facts: Any) -> dict[str, Any]:
    """The same facts as a dict, for apps.eligibility.fingerprints.fingerprint (tests, one-off checks)."""
    money = {"assets_10k", "contributions_paid", "revenue_10k"}
    return {name: (None if facts[name] is None else Decimal(str(facts[name])).quantize(FEN)) if name in money
            else facts[name] for name in FACT_FIELDS}


def template(parameters) -> FingerprintTemplate:
    """One per distinct tuple of parameters used (the calculators share their tuples per branch)."""
    return FingerprintTemplate(calculator_version=CALCULATOR_VERSION, parameters=parameters_part(parameters))
