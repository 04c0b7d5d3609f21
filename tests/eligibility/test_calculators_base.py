import json
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.base import (
    MissingParameter,
    ParameterSnapshot,
    ParameterValue,
    Reason,
    Result,
    Step,
    format_money,
    format_percent,
    parse_parameter_value,
    round_money,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),  # half-even would give 0.02 too; the next rows tell them apart
        ("0.025", "0.03"),
        ("2.675", "2.68"),
        ("30.105", "30.11"),
        ("1.0049999", "1.00"),
        ("-0.005", "-0.01"),
        ("100", "100.00"),
    ],
)
def test_round_money_half_up_to_the_fen(value, expected):
    assert str(round_money(Decimal(value))) == expected


def test_round_money_refuses_float():
    with pytest.raises(TypeError):
        round_money(0.005)


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (format_money, Decimal("7500"), "7,500.00"),
        (format_money, Decimal("4998.675"), "4,998.68"),
        (format_percent, Decimal("83"), "83%"),
        (format_percent, Decimal("5.5"), "5.5%"),
        (format_percent, Decimal("100"), "100%"),
    ],
)
def test_display_formats(func, value, expected):
    assert func(value) == expected


def pv(key="a.b", valid_from=date(2025, 1, 1), valid_to=None, value=Decimal("1")):
    return ParameterValue(
        key=key, value=value, valid_from=valid_from, valid_to=valid_to, version=1, source="s"
    )


def test_missing_parameter_names_the_key_and_date_in_chinese():
    with pytest.raises(MissingParameter) as error:
        ParameterSnapshot(date(2025, 3, 1), {}).get("maternity.allowance_days")
    assert error.value.key == "maternity.allowance_days"
    assert (
        str(error.value)
        == "缺少政策参数“maternity.allowance_days”（适用日期 2025-03-01）：请管理员录入该日期有效的参数值"
    )


@pytest.mark.parametrize(
    ("as_of", "ok"),
    [
        (date(2024, 12, 31), False),  # day before valid_from
        (date(2025, 1, 1), True),
        (date(2025, 12, 31), True),  # valid_to is inclusive
        (date(2026, 1, 1), False),  # day after valid_to
    ],
)
def test_snapshot_refuses_a_value_not_in_force(as_of, ok):
    values = {"a.b": pv(valid_to=date(2025, 12, 31))}
    if ok:
        assert ParameterSnapshot(as_of, values).get("a.b").value == Decimal("1")
    else:
        with pytest.raises(ValueError):
            ParameterSnapshot(as_of, values)


def test_memo_builds_once_per_snapshot():
    params = ParameterSnapshot(date(2025, 1, 1), {"a.b": pv()})
    calls = []
    build = lambda p: calls.append(1) or p.get("a.b").value * 2  # noqa: E731
    assert params.memo("x", build) == params.memo("x", build) == Decimal("2")
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("value_type", "raw", "expected"),
    [
        ("percentage", "83", Decimal("83")),
        ("decimal", "7500.00", Decimal("7500.00")),
        ("integer", 98, 98),
        ("date", "2025-01-01", date(2025, 1, 1)),
        ("region_list", ["220102", "220103"], ("220102", "220103")),
        ("table", {"x": {"amount": "1"}}, {"x": {"amount": "1"}}),
    ],
)
def test_parse_parameter_value(value_type, raw, expected):
    assert parse_parameter_value(value_type, raw) == expected


@pytest.mark.parametrize(
    ("value_type", "raw"), [("decimal", 0.83), ("integer", "98"), ("integer", True), ("x", 1)]
)
def test_parse_parameter_value_refuses(value_type, raw):
    with pytest.raises((TypeError, ValueError)):
        parse_parameter_value(value_type, raw)


def test_to_dict_is_json_safe():
    result = Result(
        calculator="demo",
        eligible=True,
        amount=Decimal("123.45"),
        reasons=(Reason("x", "原因"),),
        steps=(Step("标签", "1 + 1", "2"),),
        parameters=(pv(valid_to=date(2025, 12, 31)),),
        data={"rate": Decimal("0.6"), "when": date(2025, 1, 2), "set": frozenset({"b", "a"}), "n": None},
    )
    d = result.to_dict()
    assert d["amount"] == "123.45"
    assert d["data"] == {"rate": "0.6", "when": "2025-01-02", "set": ["a", "b"], "n": None}
    assert d["parameters"][0]["valid_from"] == "2025-01-01"
    assert d["parameters"][0]["valid_to"] == "2025-12-31"
    json.dumps(d, ensure_ascii=False)


def test_to_dict_refuses_floats():
    result = Result("demo", True, Decimal("1.00"), (), (), (), {"rate": 0.6})
    with pytest.raises(TypeError):
        result.to_dict()


# ------------------------------------------------------------ the shipped fixture

REQUIRED = {
    "maternity.contribution_base_rate": Decimal("83"),
    "maternity.allowance_days": 98,
    "maternity.daily_base_divisor": 30,
    "childcare_subsidy.annual_amount": Decimal("3600.00"),
    "childcare_subsidy.start_date": date(2025, 1, 1),
    "childcare_subsidy.age_limit_years": 3,
    "preschool_aid.annual_amount_rural": Decimal("1500.00"),
    "preschool_aid.annual_amount_urban": Decimal("2000.00"),
    "kindergarten.per_pupil_funding_public": Decimal("650.00"),
    "kindergarten.per_pupil_funding_inclusive_private": Decimal("240.00"),
    "leave.maternity_days": 180,
    "leave.paternity_days": 25,
    "leave.parental_days_per_year": 20,
    "leave.only_child_care_days_per_year": 15,
    "leave.only_child_care_parent_min_age": 60,
    "stable_job_refund.min_months_paid": 12,
    "stable_job_refund.small_employer_max_headcount": 30,
    "stable_job_refund.small_employer_max_layoff_rate": Decimal("20"),
    "stable_job_refund.unemployment_control_target": Decimal("5.5"),
    "stable_job_refund.large_enterprise_rate": Decimal("30"),
    "stable_job_refund.sme_rate": Decimal("60"),
}


def test_shipped_values(snapshot):
    params = snapshot(date(2025, 12, 31))
    assert {key: params.get(key).value for key in REQUIRED} == REQUIRED


def test_every_row_is_well_formed(parameter_rows):
    fields = {
        "key",
        "value_type",
        "value",
        "valid_from",
        "valid_to",
        "region_code",
        "unit",
        "name",
        "source_title",
        "source_number",
        "source_issuer",  # issue 12 fault 8: the citation is structured (issuer, date, note)
        "source_date",
        "source_note",
        "source_file",
    }
    for row in parameter_rows:
        assert set(row) == fields, row["key"]
        parse_parameter_value(row["value_type"], row["value"])
        assert row["name"] and row["source_title"] and row["source_file"].endswith(".txt"), row["key"]
        assert not isinstance(row["value"], float), row["key"]


def test_versions_of_a_key_do_not_overlap(parameter_rows):
    by_key = {}
    for row in parameter_rows:
        by_key.setdefault(row["key"], []).append(row)
    for key, rows in by_key.items():
        rows.sort(key=lambda r: r["valid_from"])
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier["valid_to"] and earlier["valid_to"] < later["valid_from"], key
    assert Counter(r["key"] for r in parameter_rows)["stable_job_refund.unemployment_control_target"] == 3


def test_demo_values_are_labelled(parameter_rows):
    demo = {
        r["key"] for r in parameter_rows if "示例值，待管理员按当地文件录入" in r["name"] + r["source_note"]
    }
    assert demo == {
        "social.provincial_average_wage_by_year",
        "maternity.continuous_enrollment_months",
        # The notice names no rate for these two (issue 16's maternity medical costs).
        "maternity.prenatal_checkup_reimbursement_rate",
        "maternity.family_planning_reimbursement_rate",
        "training.subsidy_per_program",
        "training.assessment_subsidy_per_level",
        "training.follow_up_months",
        # The monitoring intervals (once Python constants in apps.child_welfare) are shipped entries now.
        "child_welfare.visit_interval_days.high",
        "child_welfare.visit_interval_days.medium",
        "child_welfare.visit_interval_days.low",
        "child_welfare.review_interval_days",
        # The refund notices say 免申即享 but name no 公示 period (docs/publicity.md).
        "refund.publicity_working_days",
        # Nor does the childcare operating-subsidy plan for its list of institutions.
        "childcare.publicity_working_days",
        # Nor does the training programme for its list of subsidised persons.
        "training.publicity_working_days",
        # The births programmes (R3, issue 16): the plan names them, not their amounts, dates or lists.
        "birth_reward.amount_by_order",
        "border_village_birth.amount",
        "border_village_birth.regions",
        "child_rearing.annual_amount",
        "child_rearing.start_date",
        "child_rearing.age_limit_years",
        "child_rearing.min_birth_order",
        # 公益性岗位 (R9, issue 16): the answer 人社建字〔2025〕84号 names the programme, no amount or period.
        "public_posts.tenure_limit_months",
        "public_posts.near_retirement_years",
        "public_posts.post_subsidy_monthly",
        "public_posts.social_insurance_subsidy_monthly",
        # 养老服务人才 (R7): 吉民发〔2024〕33号 names the incentives and the 公示, no amount, period or window.
        "elderly_care.internship_subsidy_monthly",
        "elderly_care.internship_max_months",
        "elderly_care.social_insurance_subsidy_monthly",
        "elderly_care.social_insurance_max_months",
        "elderly_care.vocational_training_subsidy",
        "elderly_care.startup_subsidy",
        "elderly_care.entry_award",
        "elderly_care.entry_award_min_service_months",
        "elderly_care.post_subsidy_monthly",
        "elderly_care.post_subsidy_max_months",
        "elderly_care.skill_award_by_level",
        "elderly_care.honour_award_by_level",
        "elderly_care.blacklist_publicity_working_days",
        # 创业担保贷款 (R9): the report names the programme and its totals, no cap, share or term.
        "startup_loans.max_amount_per_person",
        "startup_loans.interest_subsidy_share",
        "startup_loans.max_term_months",
    }
