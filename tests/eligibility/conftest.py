"""Snapshots built from the shipped fixtures/policy_parameters/*.json — a pure JSON read, no database —
so the tests pin the values the portal ships with."""

import dataclasses
from datetime import date

import pytest

from apps.eligibility.calculators.base import ParameterSnapshot, ParameterValue, parse_parameter_value
from apps.eligibility.parameter_fixtures import fixture_rows


def load_rows() -> list[dict]:
    return fixture_rows()


def snapshot_from_rows(rows, as_of: date, region_code: str = "220000", **overrides) -> ParameterSnapshot:
    """Parameters in force on `as_of`; `overrides` (key with "." written "__") replace values,
    keeping the row's dates, to test that a calculator reads a parameter instead of a constant."""
    values = {}
    first_from: dict[str, date] = {}  # as the database snapshot does: tells "before the programme" apart
    for index, row in enumerate(rows):
        valid_from = date.fromisoformat(row["valid_from"])
        valid_to = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
        if row["region_code"] == region_code:
            first_from[row["key"]] = min(first_from.get(row["key"], valid_from), valid_from)
        if row["region_code"] != region_code or as_of < valid_from or (valid_to and as_of > valid_to):
            continue
        if row["key"] in values:
            raise AssertionError(f"two versions of {row['key']} in force on {as_of}")
        number = f" {row['source_number']}" if row["source_number"] else ""
        values[row["key"]] = ParameterValue(
            key=row["key"],
            value=parse_parameter_value(row["value_type"], row["value"]),
            valid_from=valid_from,
            valid_to=valid_to,
            version=index,
            source=f"{row['source_title']}{number}",
            name=row["name"],
        )
    for name, value in overrides.items():
        key = name.replace("__", ".")
        values[key] = dataclasses.replace(values[key], value=value)
    return ParameterSnapshot(as_of, values, {key: day for key, day in first_from.items() if day > as_of})


@pytest.fixture(scope="session")
def parameter_rows():
    return load_rows()


@pytest.fixture
def snapshot(parameter_rows):
    def build(as_of: date, **overrides) -> ParameterSnapshot:
        return snapshot_from_rows(parameter_rows, as_of, **overrides)

    return build
