"""API faces: list calculators, compute from facts or from a registry record, the as-of parameter lookup."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.models import AccessLog
from apps.eligibility.api import FACT_EXAMPLES
from apps.eligibility.calculator_fields import LABELS
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.models import Determination, PolicyParameter
from apps.eligibility.parameters import parameter_save
from tests.factories import ContributionFactory, EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def post(api, calculator, body, **query):
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return api.post(f"/api/v1/eligibility/{calculator}/{'?' + qs if qs else ''}", body, format="json")


def test_listing_names_every_calculator_and_every_fact_field_in_chinese(api_for, caseworker):
    body = api_for(caseworker).get("/api/v1/eligibility/").json()
    assert [c["name"] for c in body] == list(CALCULATORS)
    for calculator in body:
        for field in calculator["fields"]:
            assert field["label"] != field["name"], f"{calculator['name']}.{field['name']} has no Chinese label"
    refund = next(c for c in body if c["name"] == "stable-job-refund")
    kinds = {f["name"]: f["kind"] for f in refund["fields"]}
    assert kinds["contributions_paid"] == "decimal" and kinds["has_arrears"] == "boolean"
    assert kinds["entity_type"] == "choice" and kinds["facts_year"] == "integer"
    size = next(f for f in refund["fields"] if f["name"] == "size_class")
    assert size["nullable"] and {c["value"] for c in size["choices"]} == {"large", "medium", "small", "micro"}
    industry = next(f for c in body if c["name"] == "enterprise-size" for f in c["fields"] if f["name"] == "industry")
    assert {"value": "industrial", "label": "工业"} in industry["choices"]  # from the parameter table


def test_every_label_table_matches_the_facts_dataclass():
    import dataclasses

    for name, calculator in CALCULATORS.items():
        assert set(LABELS[name]) == {f.name for f in dataclasses.fields(calculator.facts_type)}, name


@pytest.mark.parametrize("calculator", list(CALCULATORS))
def test_each_documented_example_computes(api_for, caseworker, calculator):
    response = post(api_for(caseworker), calculator, FACT_EXAMPLES[calculator])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["calculator"] == calculator and body["title"] == CALCULATORS[calculator].title
    assert {"eligible", "amount", "reasons", "steps", "parameters", "data", "as_of", "facts"} <= body.keys()
    assert body["parameters"] and all(p["source"] and isinstance(p["version"], int) for p in body["parameters"])
    assert body["region"] == "220102"  # the caseworker's region decides regional parameters
    assert body["determination"] is None and not Determination.objects.exists()


def test_maternity_and_refund_amounts_are_decimal_strings(api_for, caseworker):
    api = api_for(caseworker)
    maternity = post(api, "maternity-allowance", FACT_EXAMPLES["maternity-allowance"]).json()
    # 83% × 7,500.00 ÷ 30 × 98 days
    assert maternity["eligible"] and maternity["amount"] == "20335.00"
    refund = post(api, "stable-job-refund", FACT_EXAMPLES["stable-job-refund"]).json()
    assert refund["eligible"] and refund["amount"] == "51840.00"  # 60% × 86,400.00


def test_ineligible_result_lists_every_failed_reason_code(api_for, caseworker):
    facts = {**FACT_EXAMPLES["stable-job-refund"], "has_arrears": True, "months_paid_in_full": 5}
    body = post(api_for(caseworker), "stable-job-refund", facts).json()
    assert not body["eligible"] and body["amount"] == "0.00"
    assert {r["code"] for r in body["reasons"]} == {"arrears", "insufficient_months"}


def test_bad_facts_are_400_with_chinese_messages_and_stable_codes_per_fact(api_for, caseworker):
    facts = dict(FACT_EXAMPLES["stable-job-refund"])
    del facts["headcount_end"]
    facts.update(contributions_paid=123.4, facts_year="2025", entity_type="bank", colour="red")
    response = post(api_for(caseworker), "stable-job-refund", facts)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "facts_invalid" and "有误" in body["detail"]
    codes = {name: errors[0]["code"] for name, errors in body["fields"].items()}
    assert codes == {"headcount_end": "required", "contributions_paid": "invalid", "facts_year": "invalid",
                     "entity_type": "invalid_choice", "colour": "unknown_field"}
    assert body["fields"]["contributions_paid"][0]["message"] == '金额应以字符串传递，例如 "1234.50"'
    assert "bank" in body["fields"]["entity_type"][0]["message"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("delivery_date", "2025-02-30", "日期应为 YYYY-MM-DD，且为有效日期"),
    ("delivery_date", "15/08/2025", "日期应为 YYYY-MM-DD，且为有效日期"),
])
def test_bad_date_message_is_chinese(api_for, caseworker, field, value, message):
    """Was a bug in registry.build_facts: Python's English "Invalid isoformat string" reached the user."""
    facts = {**FACT_EXAMPLES["maternity-allowance"], field: value}
    body = post(api_for(caseworker), "maternity-allowance", facts).json()
    assert body["fields"][field] == [{"code": "invalid", "message": message}]


def test_bad_number_message_is_chinese(api_for, caseworker):
    """Was a bug: Decimal("abc") raised "[<class 'decimal.ConversionSyntax'>]" as the message."""
    facts = {**FACT_EXAMPLES["stable-job-refund"], "contributions_paid": "abc"}
    body = post(api_for(caseworker), "stable-job-refund", facts).json()
    assert body["fields"]["contributions_paid"][0]["message"] == '应为数字，例如 "1234.50"'


def test_no_parameter_in_force_is_a_400_with_a_chinese_detail(api_for, caseworker):
    # Issue 12 fault 6: a date before the programme (2019 for maternity) is now a normal "no scheme in force"
    # result (tests/eligibility/test_no_scheme_in_force.py); a gap after a yearly version ended stays a 400.
    facts = {**FACT_EXAMPLES["stable-job-refund"], "facts_year": 2026}
    response = post(api_for(caseworker), "stable-job-refund", facts)
    assert response.status_code == 400
    assert response.json()["code"] == "missing_parameter" and "缺少政策参数" in response.json()["detail"]


def test_unknown_calculator_is_404_in_the_error_shape(api_for, caseworker):
    response = post(api_for(caseworker), "lottery", {})
    assert response.status_code == 404 and response.json()["code"] == "calculator_not_found"


def test_anonymous_is_401_and_integration_client_may_compute(client, api_for, integration_client):
    assert client.post("/api/v1/eligibility/childcare-subsidy/", {}, content_type="application/json"
                       ).status_code == 401
    response = post(api_for(integration_client), "childcare-subsidy", FACT_EXAMPLES["childcare-subsidy"])
    assert response.status_code == 200 and response.json()["amount"] == "3600.00"


def test_region_query_selects_regional_parameters(api_for, caseworker):
    parameter_save(parameter=PolicyParameter(
        key="childcare_subsidy.annual_amount", name="育儿补贴标准（吉林市）", value_type="decimal", value="4800.00",
        valid_from=date(2025, 1, 1), region_id="220200", source_title="测试：吉林市文件"))
    api = api_for(caseworker)
    assert post(api, "childcare-subsidy", FACT_EXAMPLES["childcare-subsidy"]).json()["amount"] == "3600.00"
    assert post(api, "childcare-subsidy", FACT_EXAMPLES["childcare-subsidy"], region="220204"
                ).json()["amount"] == "4800.00"
    assert post(api, "childcare-subsidy", FACT_EXAMPLES["childcare-subsidy"], region="999999"
                ).json()["code"] == "unknown_region"


# ---------------------------------------------------------------- from the registries


def test_applicant_facts_come_from_the_registry_and_the_read_is_logged(api_for, caseworker):
    child = PersonFactory(region_id="220102", birth=date(timezone.localdate().year - 1, 3, 10))
    response = post(api_for(caseworker), "childcare-subsidy", {"applicant": child.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["eligible"] and body["amount"] == "3600.00"
    assert body["facts"]["child_birth_date"] == child.birth_date.isoformat() and child.name in body["label"]
    log = AccessLog.objects.get(object_type="applicants.person", object_id=str(child.pk))
    assert log.action == AccessLog.Action.API and log.purpose == "待遇测算"


def test_applicant_of_another_region_is_404(api_for, caseworker):
    child = PersonFactory(region_id="220204", birth=date(timezone.localdate().year - 1, 3, 10))
    response = post(api_for(caseworker), "childcare-subsidy", {"applicant": child.pk})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not AccessLog.objects.exists()


def test_applicant_without_the_needed_facts_is_told_so(api_for, caseworker):
    adult = PersonFactory(region_id="220102")
    response = post(api_for(caseworker), "preschool-aid", {"applicant": adult.pk})
    assert response.status_code == 400 and response.json()["code"] == "no_facts_for_subject"
    assert "applicant" in response.json()["fields"]


def test_employer_facts_come_from_contributions(api_for, caseworker):
    employer = EmployerFactory(region_id="220102", employees=50, revenue_10k=Decimal("5000"))
    for month in range(1, 13):
        ContributionFactory(employer=employer, period=date(2025, month, 1), insured_headcount=50)
    response = post(api_for(caseworker), "stable-job-refund", {"employer": employer.pk, "year": 2025})
    body = response.json()
    assert response.status_code == 200, body
    assert body["facts"]["months_paid_in_full"] == 12 and body["facts"]["contributions_paid"] == "12000.00"
    assert body["facts"]["size_class"] == "small" and body["eligible"] and body["amount"] == "7200.00"
    other = EmployerFactory(region_id="220204")
    assert post(api_for(caseworker), "stable-job-refund", {"employer": other.pk}).status_code == 404


def test_save_stores_a_determination(api_for, caseworker):
    response = post(api_for(caseworker), "maternity-allowance", FACT_EXAMPLES["maternity-allowance"], save="true")
    body = response.json()
    determination = Determination.objects.get(pk=body["determination"])
    assert determination.amount == Decimal("20335.00") and determination.created_by == caseworker
    assert determination.parameter_versions == [p["version"] for p in body["parameters"]]


# ---------------------------------------------------------------- parameters and schema


def test_policy_parameters_as_of_lookup(api_for, caseworker):
    api = api_for(caseworker)
    body_2023 = api.get("/api/v1/policy-parameters/?as_of=2023-06-30&region=220102").json()
    body_2025 = api.get("/api/v1/policy-parameters/?as_of=2025-06-30&region=220102").json()
    target = "stable_job_refund.unemployment_control_target"
    row_2023 = next(p for p in body_2023["parameters"] if p["key"] == target)
    row_2025 = next(p for p in body_2025["parameters"] if p["key"] == target)
    assert row_2023["valid_from"] == "2023-01-01" and row_2025["valid_from"] == "2025-01-01"
    assert row_2023["version"] != row_2025["version"] and "政府工作报告" in row_2025["source"]
    assert not any(p["key"] == "childcare_subsidy.annual_amount" for p in body_2023["parameters"])
    assert body_2025["as_of"] == "2025-06-30" and body_2025["region"] == "220102"


def test_policy_parameters_bad_input_is_400(api_for, caseworker):
    response = api_for(caseworker).get("/api/v1/policy-parameters/?as_of=yesterday")
    assert response.status_code == 400 and "as_of" in response.json()["fields"]
    assert api_for(caseworker).get("/api/v1/policy-parameters/?region=12").status_code == 400


def test_openapi_documents_one_example_per_calculator(api_for, province_admin):
    schema = api_for(province_admin).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/eligibility/{calculator}/"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    documented = [e["value"] for e in examples.values()]
    for name in CALCULATORS:
        assert FACT_EXAMPLES[name] in documented, name
    assert "400" in operation["responses"] and "/api/v1/policy-parameters/" in schema["paths"]
    assert "/api/v1/eligibility/" in schema["paths"]
