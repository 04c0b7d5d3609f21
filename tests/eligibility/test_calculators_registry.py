import json
from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.registry import CALCULATORS, FactsError, build_facts

SAMPLES = {
    "maternity-allowance": (
        {"delivery_date": "2025-08-01", "flexible_worker": True, "continuous_enrollment_months": 12},
        "20335.00",
    ),
    "maternity-medical": (
        {"service_date": "2025-08-01", "flexible_worker": True, "delivery_cost": "6800.00",
         "prenatal_checkup_cost": "1200.50"},
        "8000.50",
    ),
    "childcare-subsidy": ({"year": 2025, "child_birth_date": "2022-10-20"}, "2700.00"),
    "birth-reward": ({"child_birth_date": "2025-09-18", "birth_order": 3}, "5000.00"),
    "border-village-birth-reward": ({"child_birth_date": "2025-09-18", "region_code": "222404"}, "3000.00"),
    # 1200 a year × 4 months (September to December 2025)
    "child-rearing-subsidy": ({"year": 2025, "child_birth_date": "2025-09-18", "birth_order": 2}, "400.00"),
    "childcare-operating-subsidy": (
        {"year": 2025, "category": "private_inclusive", "region_code": "220104", "child_months": 7},
        "2100.00",
    ),
    "preschool-aid": (
        {
            "year": 2025,
            "kindergarten_inclusive": True,
            "kindergarten_approved": True,
            "urban": False,
            "child_categories": ["orphan"],
        },
        "1500.00",
    ),
    "leave-entitlements": (
        {"year": 2025, "sex": "female", "employed": True, "child_birth_date": "2025-03-01"},
        "0.00",
    ),
    "enterprise-size": (
        {"facts_year": 2024, "industry": "industrial", "employees": 350, "revenue": "2500"},
        "0.00",
    ),
    "stable-job-refund": (
        {
            "facts_year": 2024,
            "entity_type": "enterprise",
            "size_class": "large",
            "months_paid_in_full": 12,
            "has_arrears": False,
            "serious_dishonesty": False,
            "headcount_start": 100,
            "headcount_end": 95,
            "contributions_paid": "100.35",
        },
        "30.11",
    ),
    "training-subsidy": (
        {
            "program": "elderly_care",
            "training_end_date": "2025-06-30",
            "training_completed": True,
            "verified_employment_evidence": ["wage_statement"],
            "certificate_level": "junior",
        },
        "2500.00",
    ),
    # R9: repay 8600.00 + 2.5 × 8600.00 fine
    "fraud-penalty": ({"misused_amount": "8600.00", "effective_date": "2025-06-05"}, "30100.00"),
    # R7: a full-time carer's 岗位补贴, 6 months × 300.00 (示例值)
    "elderly-care-incentive": ({"kind": "post_subsidy", "claim_date": "2026-03-01", "full_time": True,
                                "start_date": "2025-01-01", "months": 6}, "1800.00"),
    # R9 创业担保贷款: 320000.00 requested, capped at the 示例值 300000.00
    "startup-loan": ({"application_date": "2026-03-01", "amount_requested": "320000.00", "term_months": 24,
                      "status_tags": ["unemployed_graduate"]}, "300000.00"),
}


def test_registry_names():
    assert set(CALCULATORS) == set(SAMPLES)


def assert_no_float(value, path="result"):
    assert not isinstance(value, float), path
    if isinstance(value, dict):
        for k, v in value.items():
            assert_no_float(v, f"{path}.{k}")
    elif isinstance(value, list | tuple | frozenset):
        for i, v in enumerate(value):
            assert_no_float(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_json_facts_to_json_result(snapshot, name):
    data, amount = SAMPLES[name]
    calculator = CALCULATORS[name]
    facts = build_facts(calculator.facts_type, data)
    result = calculator.calculate(facts, snapshot(calculator.snapshot_date(facts)))
    assert result.calculator == name
    assert isinstance(result.amount, Decimal)
    assert str(result.amount) == amount
    assert result.parameters, "every result records the parameter versions it used"
    assert_no_float(result.amount)
    assert_no_float(dict(result.data))
    payload = result.to_dict()
    assert_no_float(payload)
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
    assert payload["amount"] == amount


def test_snapshot_dates():
    refund = build_facts(CALCULATORS["stable-job-refund"].facts_type, SAMPLES["stable-job-refund"][0])
    assert CALCULATORS["stable-job-refund"].snapshot_date(refund) == date(2024, 12, 31)
    maternity = build_facts(CALCULATORS["maternity-allowance"].facts_type, SAMPLES["maternity-allowance"][0])
    assert CALCULATORS["maternity-allowance"].snapshot_date(maternity) == date(2025, 8, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contributions_paid": 100.35}, "contributions_paid"),  # float: already lost the fen
        ({"contributions_paid": "abc"}, "contributions_paid"),
        ({"contributions_paid": "NaN"}, "contributions_paid"),
        ({"headcount_start": "100"}, "headcount_start"),
        ({"has_arrears": "false"}, "has_arrears"),
        ({"facts_year": None}, "facts_year"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_build_facts_reports_the_bad_field(changes, field):
    data = {**SAMPLES["stable-job-refund"][0], **changes}
    with pytest.raises(FactsError) as error:
        build_facts(CALCULATORS["stable-job-refund"].facts_type, data)
    assert list(error.value.errors) == [field]


def test_build_facts_requires_fields_without_default():
    with pytest.raises(FactsError) as error:
        build_facts(CALCULATORS["childcare-subsidy"].facts_type, {"year": 2025})
    assert error.value.errors == {"child_birth_date": "必填"}


def test_build_facts_accepts_null_for_optional_fields():
    data = {**SAMPLES["stable-job-refund"][0], "entity_type": "law_firm", "size_class": None}
    assert build_facts(CALCULATORS["stable-job-refund"].facts_type, data).size_class is None


def test_bad_date_is_reported():
    with pytest.raises(FactsError) as error:
        build_facts(
            CALCULATORS["childcare-subsidy"].facts_type, {"year": 2025, "child_birth_date": "2025/01/01"}
        )
    assert "child_birth_date" in error.value.errors
