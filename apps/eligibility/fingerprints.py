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

from apps.eligibility.calculators.base import (
    ParameterSnapshot,
    ParameterValue,
    month_version,
    parse_parameter_value,
)
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import ancestor_codes


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


def parameters_part(values: Iterable[ParameterValue]) -> dict[str, Any]:
    """{key: version, value, dates} of the parameters a decision used; a key used at several versions (a rate
    that changed during the year) maps to the list of them, by start date — so every value is covered."""
    part: dict[str, list[dict[str, Any]]] = {}
    for p in values:
        entry = {"version": str(p.version), "value": canonical(p.value), "valid_from": p.valid_from.isoformat(),
                 "valid_to": p.valid_to.isoformat() if p.valid_to else None}
        entries = part.setdefault(p.key, [])
        if all(e["version"] != entry["version"] for e in entries):
            entries.append(entry)
    return {key: entries[0] if len(entries) == 1 else sorted(entries, key=lambda e: (e["valid_from"], e["version"]))
            for key, entries in part.items()}


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


def version_id_list(versions: Iterable[Any]) -> list[int]:
    """Stored version references -> PolicyParameter ids, in order. A reference is an id (17 or "17") or a
    list of ids (a key used at several versions in one decision: a rate that changed during the year)."""
    ids: list[int] = []
    for version in versions:
        if isinstance(version, list | tuple):
            ids.extend(int(str(v)) for v in version)
        else:
            ids.append(int(str(version)))
    return ids


def snapshot_from_versions(*, as_of: date, versions: Iterable[Any],
                           rows: Mapping[int, PolicyParameter] | None = None,
                           fill: ParameterSnapshot | None = None) -> ParameterSnapshot:
    """The snapshot of exactly the stored versions (PolicyParameter ids) — never "what is in force today".

    `fill` supplies the keys a decision did not name (a calculator compiles all its parameters but a result
    lists only those its branch depended on, so the others cannot change it). A key named at several
    versions, or at one not in force on `as_of` (an annual amount paid by month), gets its months by the one
    month rule (base.month_version) among the named versions only. Raises VersionMissing when a version no
    longer exists and ValueError when one no longer applies (its dates were changed)."""
    ids = version_id_list(versions)
    if rows is None:
        rows = PolicyParameter.objects.in_bulk(ids)
    values: dict[str, ParameterValue] = {key: fill.get(key) for key in fill.keys()} if fill is not None else {}
    named: dict[str, list[tuple[PolicyParameter, ParameterValue]]] = {}
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            raise VersionMissing(f"参数版本 {pk} 已不存在")
        value = ParameterValue(key=row.key, value=_parse(row), valid_from=row.valid_from, valid_to=row.valid_to,
                               version=row.pk, source=row.source, name=row.name)
        if all(value.version != other.version for _row, other in named.get(row.key, [])):
            named.setdefault(row.key, []).append((row, value))
    monthly: dict[str, tuple[ParameterValue | None, ...]] = {}
    for key, pairs in named.items():
        if len(pairs) == 1 and pairs[0][1].applies_on(as_of):
            values[key] = pairs[0][1]  # the usual case: one version, in force on the decision's date
            continue
        # The more specific region first, as the database snapshot chooses (a city row beats the province's).
        depth = {code: len(ancestor_codes(code)) for code in {str(row.region_id) for row, _value in pairs}}
        candidates = [value for row, value in sorted(pairs, key=lambda pair: -depth[str(pair[0].region_id)])]
        months = tuple(month_version(candidates, as_of.year, month, lambda c, day: c.applies_on(day))
                       for month in range(1, 13))
        unused = [c.version for c in candidates if c not in months]
        if unused:
            raise ValueError(f"参数版本 {unused[0]} 在 {as_of.year} 年不适用")
        monthly[key] = months
        values.pop(key, None)
        in_force = [c for c in candidates if c.applies_on(as_of)]
        if in_force:
            values[key] = in_force[0]
    return ParameterSnapshot(as_of, values, monthly=monthly)


def _parse(row: PolicyParameter) -> Any:
    return parse_parameter_value(row.value_type, row.value)


def parameters_part_for_versions(versions: Iterable[Any]) -> dict[str, Any]:
    """parameters_part of the given PolicyParameter ids (or lists of ids), read from the database now (one
    query)."""
    ids = version_id_list(versions)
    rows = PolicyParameter.objects.in_bulk(ids)
    values = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            raise VersionMissing(f"参数版本 {pk} 已不存在")
        values.append(ParameterValue(key=row.key, value=_parse(row), valid_from=row.valid_from,
                                     valid_to=row.valid_to, version=row.pk, source=row.source, name=row.name))
    return parameters_part(values)
