"""Issue 12 fault 6: a date before a programme's first version is "not eligible: no scheme in force on that
date" — a normal result with an explanation, not a 400 missing_parameter — for every calculator. Boundaries:
the last day (or year) before the first version, and the first one."""

from datetime import date

import pytest

from apps.eligibility.api import FACT_EXAMPLES
from apps.eligibility.calculators import preschool_aid
from apps.eligibility.calculators.preschool_aid import PreschoolAidFacts

pytestmark = pytest.mark.django_db

# calculator, facts before the first version, facts on/in its first day/year
CASES = [
    ("childcare-subsidy", {"year": 2024}, {"year": 2025}),  # 国家育儿补贴 from 2025-01-01
    ("childcare-operating-subsidy", {"year": 2024}, {"year": 2025}),  # 普惠托育服务补助 from 2025-01-01
    ("preschool-aid", {"year": 2023}, {"year": 2024}),  # 吉卫联发〔2023〕56号, published 2024-01-04
    ("leave-entitlements", {"year": 2023, "child_birth_date": "2023-04-02"},
     {"year": 2024, "child_birth_date": "2024-04-02"}),
    ("maternity-allowance", {"delivery_date": "2025-04-30"}, {"delivery_date": "2025-05-01"}),
    ("training-subsidy", {"training_end_date": "2024-12-31"}, {"training_end_date": "2025-01-01"}),
    ("stable-job-refund", {"facts_year": 2022}, {"facts_year": 2023}),
    ("enterprise-size", {"facts_year": 2010}, {"facts_year": 2011}),  # 工信部联企业〔2011〕300号, 2011-06-18
]


def _post(api, calculator, facts):
    return api.post(f"/api/v1/eligibility/{calculator}/", {**FACT_EXAMPLES[calculator], **facts}, format="json")


@pytest.mark.parametrize(("calculator", "before", "first"), CASES, ids=[c[0] for c in CASES])
def test_before_the_first_version_is_not_eligible_with_an_explanation(api_for, caseworker, calculator, before,
                                                                      first):
    api = api_for(caseworker)
    response = _post(api, calculator, before)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["eligible"] is False and body["amount"] == "0.00"
    assert [r["code"] for r in body["reasons"]] == ["no_scheme_in_force"]
    assert "尚无施行中的政策" in body["reasons"][0]["message"] and "起施行" in body["reasons"][0]["message"]
    assert body["steps"] and "起施行" in body["steps"][0]["formula"]

    response = _post(api, calculator, first)
    assert response.status_code == 200, response.json()
    assert "no_scheme_in_force" not in [r["code"] for r in response.json()["reasons"]]


def test_a_determination_before_the_scheme_is_stored_as_not_eligible(api_for, caseworker):
    response = api_for(caseworker).post("/api/v1/eligibility/childcare-subsidy/?save=true",
                                        {"year": 2024, "child_birth_date": "2024-03-10"}, format="json")
    assert response.status_code == 200 and response.json()["determination"]
    assert response.json()["reasons"][0]["code"] == "no_scheme_in_force"


@pytest.mark.parametrize(("year", "in_force"), [(2023, False), (2024, True)])
def test_preschool_aid_year_before_the_first_version_on_the_database_snapshot(year, in_force):
    from apps.eligibility.parameters import parameter_snapshot

    facts = PreschoolAidFacts(year=year, kindergarten_inclusive=True, kindergarten_approved=True, urban=True,
                              child_categories=frozenset({"orphan"}))
    result = preschool_aid.calculate(facts, parameter_snapshot(as_of=date(year, 12, 31)))
    assert result.eligible is in_force
    assert ("no_scheme_in_force" in [r.code for r in result.reasons]) is (not in_force)


def test_a_gap_after_a_version_ended_is_still_a_missing_parameter(api_for, caseworker):
    """Only *before the first version* is "no scheme"; a year whose yearly value nobody entered yet (the
    unemployment control target ends each 31 December) is a configuration gap the administrator must fill."""
    response = _post(api_for(caseworker), "stable-job-refund", {"facts_year": 2026})
    assert response.status_code == 400 and response.json()["code"] == "missing_parameter"


def test_a_refund_run_for_a_year_before_the_scheme_is_refused_with_a_message(caseworker):
    from apps.core.exceptions import ApplicationError
    from apps.refunds.services import run_start

    with pytest.raises(ApplicationError) as error:
        run_start(user=caseworker, year=2023, region_code="220102")  # facts year 2022
    assert error.value.code == "no_scheme_in_force" and "尚无施行中的政策" in error.value.message
