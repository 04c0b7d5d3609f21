"""Golden cases: a frozen table of decisions per calculator (tests/eligibility/golden/<calculator>.json).

Each case is inputs (facts, with the shipped parameters of the province in force on the calculator's
snapshot date, or a case's test-local `versions` of a key — e.g. a rate changing mid-year; not policy)
→ eligible, amount, reason codes — or the error the calculator raises. Boundaries are
included (ages, months, headcounts, thresholds, dates a rule starts). Any change of a calculator that alters
one of them fails here: an old stored decision would no longer recompute to what was paid.

To change a decision consciously: bump the calculator module's VERSION (decisions_verify then names every
stored decision made under the old version), then regenerate the table and review the diff:

    UPDATE_GOLDEN=1 pytest tests/eligibility/test_golden.py

Regenerating refuses to write a changed table while VERSION is the one recorded in it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from apps.eligibility.calculators.registry import CALCULATORS, FactsError, build_facts
from tests.eligibility.conftest import snapshot_from_rows

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def case_rows(case: dict, rows: list[dict]) -> list[dict]:
    """The shipped rows, with the keys of the case's test-local `versions` (never policy: dated values a test
    needs, e.g. a rate that changes mid-year) replaced by them; unnamed fields are taken from the shipped row."""
    versions = case.get("versions")
    if not versions:
        return rows
    keys = {v["key"] for v in versions}
    shipped = {row["key"]: row for row in rows if row["key"] in keys}
    return [row for row in rows if row["key"] not in keys] + [
        {**shipped[v["key"]], "valid_to": None, "source_title": "测试用版本（非政策）", "source_number": "", **v}
        for v in versions]


def outcome(calculator, case: dict, rows) -> dict:
    rows = case_rows(case, rows)
    try:
        facts = build_facts(calculator.facts_type, case["facts"])
        params = snapshot_from_rows(rows, calculator.snapshot_date(facts), region_code=case.get("region", "220000"))
        result = calculator.calculate(facts, params)
    except (FactsError, LookupError, ValueError, TypeError, ArithmeticError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    decided = {"eligible": result.eligible, "amount": str(result.amount), "reasons": [r.code for r in result.reasons]}
    if "size_class" in result.data:  # enterprise size: the class is the decision
        decided["size_class"] = result.data["size_class"]
    return decided


def test_every_calculator_has_a_golden_table():
    assert {path.stem for path in GOLDEN.glob("*.json")} == set(CALCULATORS)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_golden_decisions_are_unchanged(name, parameter_rows):
    calculator = CALCULATORS[name]
    path = GOLDEN / f"{name}.json"
    table = json.loads(path.read_text(encoding="utf-8"))
    now = [outcome(calculator, case, parameter_rows) for case in table["cases"]]
    changed = [(case["name"], case.get("expected"), got) for case, got in zip(table["cases"], now, strict=True)
               if case.get("expected") != got]
    if UPDATE:
        if changed and table.get("version") == calculator.version and all(c[1] is not None for c in changed):
            pytest.fail(f"{name}: {len(changed)} decisions change but VERSION is still {calculator.version!r}; "
                        f"bump VERSION in the calculator module first")
        for case, got in zip(table["cases"], now, strict=True):
            case["expected"] = got
        table["version"] = calculator.version
        path.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    assert table["version"] == calculator.version, (
        f"{name}: VERSION is {calculator.version!r}, the golden table was made with {table['version']!r}; "
        "regenerate it (UPDATE_GOLDEN=1) and review the diff")
    assert not changed, f"{name}: {len(changed)} golden decisions changed, first: {changed[:3]}"


def test_the_tables_cover_eligible_and_ineligible_cases():
    for path in GOLDEN.glob("*.json"):
        expected = [case["expected"] for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]
        assert any(e.get("eligible") for e in expected), path.stem
        if path.stem == "enterprise-size":
            assert {e["size_class"] for e in expected} == {"large", "medium", "small", "micro"}
        else:
            assert any(e.get("eligible") is False for e in expected), path.stem
