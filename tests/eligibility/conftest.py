"""Snapshots built from the shipped fixtures/policy_parameters/*.json — a pure JSON read, no database —
so the tests pin the values the portal ships with."""

import dataclasses
from datetime import date

import pytest

from apps.eligibility.calculators.base import (
    ParameterSnapshot,
    ParameterValue,
    month_version,
    parse_parameter_value,
)
from apps.eligibility.parameter_fixtures import fixture_rows


def load_rows() -> list[dict]:
    return fixture_rows()


def snapshot_from_rows(rows, as_of: date, region_code: str = "220000", **overrides) -> ParameterSnapshot:
    """Parameters in force on `as_of`; `overrides` (key with "." written "__") replace values,
    keeping the row's dates, to test that a calculator reads a parameter instead of a constant.
    As the database snapshot does, each key's versions touching `as_of`'s year give its months
    (base.month_version), for annual amounts — for the keys in force on `as_of` (a key whose first
    version starts later stays "no scheme in force yet", as these tests have always read it)."""
    values = {}
    first_from: dict[str, date] = {}  # as the database snapshot does: tells "before the programme" apart
    in_year: dict[str, list[ParameterValue]] = {}
    for index, row in enumerate(rows):
        valid_from = date.fromisoformat(row["valid_from"])
        valid_to = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
        if row["region_code"] == region_code:
            first_from[row["key"]] = min(first_from.get(row["key"], valid_from), valid_from)
        if row["region_code"] != region_code:
            continue
        number = f" {row['source_number']}" if row["source_number"] else ""
        value = ParameterValue(
            key=row["key"],
            value=parse_parameter_value(row["value_type"], row["value"]),
            valid_from=valid_from,
            valid_to=valid_to,
            version=index,
            source=f"{row['source_title']}{number}",
            name=row["name"],
        )
        if valid_from <= date(as_of.year, 12, 31) and (valid_to is None or valid_to >= date(as_of.year, 1, 1)):
            in_year.setdefault(row["key"], []).append(value)
        if as_of < valid_from or (valid_to and as_of > valid_to):
            continue
        if row["key"] in values:
            raise AssertionError(f"two versions of {row['key']} in force on {as_of}")
        values[row["key"]] = value
    monthly = {key: tuple(month_version(candidates, as_of.year, month, lambda c, day: c.applies_on(day))
                          for month in range(1, 13)) for key, candidates in in_year.items() if key in values}
    for name, value in overrides.items():
        key = name.replace("__", ".")
        values[key] = dataclasses.replace(values[key], value=value)
        monthly.pop(key, None)  # a replaced value applies to every month
    return ParameterSnapshot(as_of, values, {key: day for key, day in first_from.items() if day > as_of}, monthly)


@pytest.fixture(scope="session")
def parameter_rows():
    return load_rows()


@pytest.fixture
def snapshot(parameter_rows):
    def build(as_of: date, **overrides) -> ParameterSnapshot:
        return snapshot_from_rows(parameter_rows, as_of, **overrides)

    return build
