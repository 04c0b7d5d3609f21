"""Issue 12 fault 7, the operating subsidy through the API, the calculator form and a stored determination:
per-month child-months (`monthly_child_months`, 12 counts, January first) are paid at the rate table in
force for each month; a saved determination names — and freezes — every version it used, and
decisions_verify recomputes it. The second version is a test-local value, not policy."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from apps.eligibility.models import Determination, PolicyParameter
from apps.eligibility.parameters import parameter_save
from tests.eligibility.tamper import tamper_parameters

pytestmark = pytest.mark.django_db

TABLE = "childcare_operating.annual_rate_table"
TEN = [10] * 12


def _new_rate_table(starts: date, private_inclusive_urban: str = "4800") -> PolicyParameter:
    old = PolicyParameter.objects.get(key=TABLE, region_id="220000", valid_to__isnull=True)
    old.valid_to = starts - timedelta(days=1)
    parameter_save(parameter=old)
    value = {**old.value, "private_inclusive": {**old.value["private_inclusive"],
                                                "changchun_urban": private_inclusive_urban}}
    return parameter_save(parameter=PolicyParameter(
        key=TABLE, name=old.name, value_type=old.value_type, value=value, unit=old.unit, valid_from=starts,
        region_id="220000", source_title="测试：调整标准的文件", source_issuer="测试机关"))


def _facts(monthly, total=None, **more):
    return {"year": 2025, "category": "private_inclusive", "region_code": "220102",
            "child_months": sum(monthly) if total is None else total, "monthly_child_months": monthly, **more}


def _verify(capsys, *args):
    code = 0
    try:
        call_command("decisions_verify", *args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("starts", "amount", "rates"), [
    (date(2025, 7, 1), "42000.00", ["3600", "4800"]),
    (date(2025, 7, 15), "41000.00", ["3600", "4800"]),  # from the 15th: applies from 1 August
    (date(2025, 12, 1), "37000.00", ["3600", "4800"]),
    (date(2026, 1, 1), "36000.00", ["3600"]),
])
def test_saved_determination_names_freezes_and_verifies_every_version(api_for, caseworker, capsys, starts,
                                                                      amount, rates):
    new = _new_rate_table(starts)
    response = api_for(caseworker).post("/api/v1/eligibility/childcare-operating-subsidy/?save=true",
                                        _facts(TEN), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["amount"] == amount
    used = [p for p in body["parameters"] if p["key"] == TABLE]
    assert [p["value"]["private_inclusive"]["changchun_urban"] for p in used] == rates
    determination = Determination.objects.get(pk=body["determination"])
    table_versions = PolicyParameter.objects.filter(pk__in=determination.parameter_versions, key=TABLE)
    assert table_versions.count() == len(rates)
    assert all(v.frozen_at is not None for v in table_versions)
    assert (new.pk in determination.parameter_versions) is (len(rates) == 2)
    code, out = _verify(capsys, "--kind", "determination")
    assert code == 0, out


def test_a_tampered_old_version_of_a_two_version_determination_is_caught(api_for, caseworker, capsys):
    _new_rate_table(date(2025, 7, 1))
    body = api_for(caseworker).post("/api/v1/eligibility/childcare-operating-subsidy/?save=true",
                                    _facts(TEN), format="json").json()
    old = PolicyParameter.objects.get(key=TABLE, valid_to=date(2025, 6, 30))
    value = {**old.value, "private_inclusive": {**old.value["private_inclusive"], "changchun_urban": "3000"}}
    with tamper_parameters():
        PolicyParameter.objects.filter(pk=old.pk).update(value=value)
    code, out = _verify(capsys, "--kind", "determination")
    assert code == 1 and f"#{body['determination']}" in out


@pytest.mark.parametrize(("facts", "field", "code", "message"), [
    (_facts([10] * 11 + [-1]), "monthly_child_months", "negative", "不能为负数"),
    (_facts([10] * 11), "monthly_child_months", "wrong_month_count", "12"),
    (_facts(TEN, total=119), "child_months", "monthly_sum_mismatch", "120"),
    (_facts(["a"] * 12, total=120), "monthly_child_months", "invalid", "整数"),
])
def test_impossible_monthly_counts_are_field_errors(api_for, caseworker, facts, field, code, message):
    response = api_for(caseworker).post("/api/v1/eligibility/childcare-operating-subsidy/", facts, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["fields"][field]
    assert errors[0]["code"] == code and message in errors[0]["message"]


def test_a_total_alone_is_refused_when_the_rate_changed_during_the_year(api_for, caseworker):
    _new_rate_table(date(2025, 7, 1))
    facts = {"year": 2025, "category": "private_inclusive", "region_code": "220102", "child_months": 120}
    for url in ("/api/v1/eligibility/childcare-operating-subsidy/",
                "/api/v1/eligibility/childcare-operating-subsidy/?save=true"):
        response = api_for(caseworker).post(url, facts, format="json")
        assert response.status_code == 400, response.json()
        assert response.json()["fields"]["monthly_child_months"][0]["code"] == "monthly_counts_required"
    assert not Determination.objects.exists()


def test_a_total_alone_is_paid_as_before_when_one_rate_applies(api_for, caseworker):
    facts = {"year": 2025, "category": "private_inclusive", "region_code": "220102", "child_months": 120}
    response = api_for(caseworker).post("/api/v1/eligibility/childcare-operating-subsidy/", facts, format="json")
    assert response.status_code == 200 and response.json()["amount"] == "36000.00"


@pytest.mark.parametrize(("entered", "status", "expected"), [
    ("10,10,10,10,10,10，10,10,10,10,10,10", 200, "42,000.00"),
    ("10 10 10 10 10 10 10 10 10 10 10 -1", 400, "不能为负数"),
    ("10,10,x", 400, "整数"),
])
def test_calculator_form_takes_the_monthly_counts(client, caseworker, entered, status, expected):
    _new_rate_table(date(2025, 7, 1))
    client.force_login(caseworker)
    response = client.post("/eligibility/calculator/", {
        "calculator": "childcare-operating-subsidy", "facts-year": 2025, "facts-category": "private_inclusive",
        "facts-region_code": "220102", "facts-child_months": 119 if status == 400 and "-1" in entered else 120,
        "facts-inclusive_certified": "on", "facts-monthly_child_months": entered})
    assert response.status_code == status
    assert expected in response.content.decode()


@pytest.mark.parametrize(("calculator", "key", "value", "facts"), [
    ("childcare-subsidy", "childcare_subsidy.annual_amount", "4200.00",
     {"year": 2025, "child_birth_date": "2024-03-10"}),
    ("preschool-aid", "preschool_aid.annual_amount_urban", "2400.00",
     {"year": 2025, "kindergarten_inclusive": True, "kindergarten_approved": True, "urban": True,
      "child_categories": ["orphan"]}),
])
def test_other_annual_amounts_saved_at_two_versions_verify_too(api_for, caseworker, capsys, calculator, key, value,
                                                                facts):
    """The verifier rebuilds a key named at several versions month by month (it used to keep only the last
    one, so such a determination recomputed to the second half-year alone)."""
    old = PolicyParameter.objects.get(key=key, region_id="220000", valid_to__isnull=True)
    old.valid_to = date(2025, 6, 30)
    parameter_save(parameter=old)
    parameter_save(parameter=PolicyParameter(
        key=key, name=old.name, value_type=old.value_type, value=value, unit=old.unit, valid_from=date(2025, 7, 1),
        region_id="220000", source_title="测试：调整标准的文件", source_issuer="测试机关"))
    body = api_for(caseworker).post(f"/api/v1/eligibility/{calculator}/?save=true", facts, format="json").json()
    assert len([p for p in body["parameters"] if p["key"] == key]) == 2
    code, out = _verify(capsys, "--kind", "determination")
    assert code == 0, out
