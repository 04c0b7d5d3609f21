"""The fingerprint of a stored decision's inputs, and the snapshot rebuilt from the versions it names.

A fingerprint is the SHA-256 of one canonical JSON document:

    {"calculator_version": "<module VERSION(s)>",
     "facts": {...the facts as stored...},
     "parameters": {"<key>": {"valid_from": …, "valid_to": …, "value": …, "version": "<id>"}, …}}

keys sorted, no spaces, UTF-8; a Decimal is written normalised ("1234.5", never "1234.50" or "1.2345E+3")
so the same number read back from either database gives the same text. Facts, the parameter versions
with their values and the calculator's version are all in it: `decisions_verify` recomputes it from what is
stored today and a changed fact, a changed parameter value (an edit in place of a version that was used) or
a changed calculator version shows as a different fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from apps.eligibility.calculators.base import ParameterSnapshot, ParameterValue, parse_parameter_value
from apps.eligibility.models import PolicyParameter


def canonical(value: Any) -> Any:
    """A JSON-ready value with one spelling per meaning (Decimal normalised, sets sorted, dates ISO)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(canonical(v) for v in value)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, float):
        raise TypeError("float in a fingerprint: money and rates must be Decimal")
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def dumps(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parameters_part(values: Iterable[ParameterValue]) -> dict[str, dict[str, Any]]:
    """{key: version, value, dates} of the parameters a decision used."""
    return {p.key: {"version": str(p.version), "value": canonical(p.value), "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None} for p in values}


def fingerprint(*, calculator_version: str, facts: Mapping[str, Any], parameters: Mapping[str, Any]) -> str:
    document = {"calculator_version": calculator_version, "facts": canonical(facts), "parameters": parameters}
    return hashlib.sha256(dumps(document).encode()).hexdigest()


class FingerprintTemplate:
    """The same fingerprint for many decisions that share a calculator version and parameters (a refund run):
    the hash of the fixed prefix is computed once and copied per row; only the facts are hashed per row."""

    def __init__(self, *, calculator_version: str, parameters: Mapping[str, Any]):
        # Sorted keys: "calculator_version" < "facts" < "parameters".
        self._prefix = hashlib.sha256(f'{{"calculator_version":{dumps(calculator_version)},"facts":'.encode())
        self._suffix = f',"parameters":{dumps(parameters)}}}'.encode()

    def of(self, facts_json: str) -> str:
        digest = self._prefix.copy()
        digest.update(facts_json.encode())
        digest.update(self._suffix)
        return digest.hexdigest()


class VersionMissing(LookupError):
    pass


def snapshot_from_versions(*, as_of: date, versions: Iterable[int | str],
                           rows: Mapping[int, PolicyParameter] | None = None,
                           fill: ParameterSnapshot | None = None) -> ParameterSnapshot:
    """The snapshot of exactly the stored versions (PolicyParameter ids) — never "what is in force today".

    `fill` supplies the keys a decision did not name (a calculator compiles all its parameters but a result
    lists only those its branch depended on, so the others cannot change it). Raises VersionMissing when a
    version no longer exists and ValueError when one no longer applies on `as_of` (its dates were changed)."""
    ids = [int(str(v)) for v in versions]
    if rows is None:
        rows = PolicyParameter.objects.in_bulk(ids)
    values: dict[str, ParameterValue] = {key: fill.get(key) for key in fill.keys()} if fill is not None else {}
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            raise VersionMissing(f"参数版本 {pk} 已不存在")
        values[row.key] = ParameterValue(key=row.key, value=_parse(row), valid_from=row.valid_from,
                                         valid_to=row.valid_to, version=row.pk, source=row.source, name=row.name)
    return ParameterSnapshot(as_of, values)


def _parse(row: PolicyParameter) -> Any:
    return parse_parameter_value(row.value_type, row.value)


def parameters_part_for_versions(versions: Iterable[int | str]) -> dict[str, dict[str, Any]]:
    """parameters_part of the given PolicyParameter ids, read from the database now (one query)."""
    ids = [int(str(v)) for v in versions]
    rows = PolicyParameter.objects.in_bulk(ids)
    values = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            raise VersionMissing(f"参数版本 {pk} 已不存在")
        values.append(ParameterValue(key=row.key, value=_parse(row), valid_from=row.valid_from,
                                     valid_to=row.valid_to, version=row.pk, source=row.source, name=row.name))
    return parameters_part(values)
