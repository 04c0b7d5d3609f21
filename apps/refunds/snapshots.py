"""The parameters of a run: chosen once when it starts, stored as version ids, rebuilt from those ids.

Every chunk (in any worker, at any time) and every later explanation rebuilds the snapshot from the stored
ids, so a parameter edited while a run computes — or years after it was approved — changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from apps.core.exceptions import ApplicationError
from apps.eligibility.calculators.base import ParameterSnapshot, ParameterValue, parse_parameter_value
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import VersionsUnavailable, parameter_snapshot, to_parameter_value

# The parameters R1 and R1.1 read; a run records exactly these.
PARAMETER_PREFIXES = ("stable_job_refund.", "enterprise_size.")
OVERRIDE_PREFIX = "override:"

# Snapshots rebuilt in this process, by run id. A worker handles a few runs in its life; each snapshot
# holds the compiled rules (a few KB).
_CACHE: dict[tuple, ParameterSnapshot] = {}
_CACHE_SIZE = 16


def snapshot_date(year: int) -> date:
    """Parameters in force on 31 December of the facts year P = Y − 1 (P's unemployment control target)."""
    return date(year - 1, 12, 31)


def parse_overrides(overrides: dict[str, Any] | None, as_of: date) -> dict[str, Any]:
    """Raw what-if values (strings such as "70") -> typed values, checked against the parameter's type."""
    if not overrides:
        return {}
    keys = list(overrides)
    unknown = [key for key in keys if not key.startswith(PARAMETER_PREFIXES)]
    if unknown:
        raise ApplicationError("unknown_parameter", "只能调整稳岗返还和企业划型参数", {"overrides": unknown})
    types = dict(PolicyParameter.objects.filter(key__in=keys).values_list("key", "value_type"))
    parsed, errors = {}, {}
    for key, raw in overrides.items():
        if key not in types:
            errors[key] = ["没有这个参数"]
            continue
        try:
            parsed[key] = parse_parameter_value(types[key], raw)
        except (TypeError, ValueError, ArithmeticError) as error:
            errors[key] = [f"参数值格式不正确：{error}"]
    if errors:
        raise ApplicationError("invalid_override", "模拟调整的参数值有误", errors)
    return parsed


def versions_for_run(*, year: int, region_code: str, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """key -> version id (or "override:<id>") of every R1/R1.1 parameter in force for the run."""
    as_of = snapshot_date(year)
    snapshot = parameter_snapshot(as_of=as_of, region_code=region_code, overrides=parse_overrides(overrides, as_of))
    later = sorted((day, key) for key, day in snapshot.upcoming.items() if key.startswith(PARAMETER_PREFIXES))
    if later:  # a year before the programme: every employer would be "no scheme in force" — say it once
        day, key = later[-1]
        raise ApplicationError("no_scheme_in_force",
                               f"{year}年度（事实年度{year - 1}年，{as_of.isoformat()}）尚无施行中的政策：参数“{key}”"
                               f"自{day.isoformat()}起施行，不能发起该年度的稳岗返还计算", {"year": ["该年度尚无施行中的政策"]})
    return {key: snapshot.get(key).version for key in snapshot.keys() if key.startswith(PARAMETER_PREFIXES)}


def build_snapshot(*, year: int, versions: dict[str, Any], overrides: dict[str, Any]) -> ParameterSnapshot:
    as_of = snapshot_date(year)
    ids = {key: int(str(version).removeprefix(OVERRIDE_PREFIX)) for key, version in versions.items()}
    rows = {row.pk: row for row in PolicyParameter.objects.filter(pk__in=ids.values())}
    missing = [f"{key}（版本 {pk}）" for key, pk in ids.items() if pk not in rows]
    if missing:
        raise VersionsUnavailable(f"本批次使用的参数版本已不存在：{'、'.join(missing)}")
    moved = [f"{key}（版本 {pk}）" for key, pk in ids.items() if not to_parameter_value(rows[pk]).applies_on(as_of)]
    if moved:
        raise VersionsUnavailable(f"本批次使用的参数版本的有效期已被改动，在 {as_of.isoformat()} 不再适用：{'、'.join(moved)}")
    parsed = parse_overrides(overrides, as_of)
    values: dict[str, ParameterValue] = {}
    for key, pk in ids.items():
        base = to_parameter_value(rows[pk])
        if key in parsed:
            base = ParameterValue(key=key, value=parsed[key], valid_from=base.valid_from, valid_to=base.valid_to,
                                  version=f"{OVERRIDE_PREFIX}{pk}", source=f"模拟调整（原值见版本 {pk}）",
                                  name=base.name)
        values[key] = base
    return ParameterSnapshot(as_of, values)


def run_snapshot(run) -> ParameterSnapshot:
    # Keyed by what the snapshot is built from, not the id alone (SQLite reuses ids after a rollback).
    key = (run.pk, run.year, json.dumps(run.parameter_versions, sort_keys=True),
           json.dumps(run.overrides, sort_keys=True))
    snapshot = _CACHE.get(key)
    if snapshot is None:
        snapshot = build_snapshot(year=run.year, versions=run.parameter_versions, overrides=run.overrides)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = snapshot
    return snapshot
