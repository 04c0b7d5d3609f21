"""/api/v1/refund-runs/: start (202), follow, filter results, approve/reject, export; scoping."""

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.core.models import AccessLog
from apps.refunds.models import RefundRun
from tests.factories import UserFactory
from tests.refund_review import publicize
from tests.refunds.conftest import CASES, YEAR

pytestmark = pytest.mark.django_db
URL = "/api/v1/refund-runs/"


@pytest.fixture
def started(dataset, caseworker, api_for, django_capture_on_commit_callbacks):
    api = api_for(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(URL, {"year": YEAR, "region": "220102"}, format="json")
    assert response.status_code == 202, response.json()
    return response.json()


def test_start_answers_202_with_the_run_and_a_second_start_409(started, caseworker, api_for):
    assert started["status"] in ("computing", "computed") and started["year"] == YEAR
    response = api_for(caseworker).post(URL, {"year": YEAR, "region": "220102"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "run_exists"


def test_run_detail_has_status_and_progress(started, caseworker, api_for):
    body = api_for(caseworker).get(f"{URL}{started['id']}/").json()
    assert body["status"] == "computed"
    assert body["progress"]["employers_done"] == body["progress"]["employers_total"] == len(CASES)
    assert body["progress"]["percent"] == 100


@pytest.mark.parametrize(("query", "expected"), [
    ("decision=eligible", sum(c.decision == "eligible" for c in CASES)),
    ("decision=ineligible", sum(c.decision == "ineligible" for c in CASES)),
    ("reason=arrears", 3),
    ("reason=layoff_rate_exceeded", 5),
    ("size_class=large", 4),
    ("region=220102", len(CASES)),
    ("region=220103", 0),
    ("amount_min=3600&amount_max=3600.23", 3),
    ("decision=eligible&size_class=micro", 1),
])
def test_results_are_filterable(started, caseworker, api_for, query, expected):
    body = api_for(caseworker).get(f"{URL}{started['id']}/results/?{query}&page_size=100").json()
    assert body["count"] == expected, body


def test_result_rows_carry_facts_reasons_and_amounts(started, caseworker, api_for):
    rows = api_for(caseworker).get(f"{URL}{started['id']}/results/?reason=serious_dishonesty").json()["results"]
    every = next(r for r in rows if r["name"].startswith("every_reason"))
    assert every["reasons"] == ["insufficient_months", "arrears", "layoff_rate_exceeded", "serious_dishonesty"]
    assert every["amount"] == "0.00" and every["decision"] == "ineligible"


def test_approve_needs_another_supervisor(started, supervisor, caseworker, api_for):
    publicize(RefundRun.objects.get(pk=started["id"]))
    url = f"{URL}{started['id']}/approve/"
    assert api_for(caseworker).post(url, {}, format="json").status_code == 403
    response = api_for(supervisor).post(url, {"comment": "同意发放"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = api_for(supervisor).post(f"{URL}{started['id']}/reject/", {"comment": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "run_not_computed"


def test_the_starter_cannot_approve(dataset, supervisor, api_for, django_capture_on_commit_callbacks):
    api = api_for(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api.post(URL, {"year": YEAR, "region": "220102"}, format="json").json()["id"]
    publicize(RefundRun.objects.get(pk=run_id))
    response = api.post(f"{URL}{run_id}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "four_eyes"


def test_reject_needs_a_comment(started, supervisor, api_for):
    response = api_for(supervisor).post(f"{URL}{started['id']}/reject/", {"comment": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "comment_required"


def test_export_csv_has_the_contract_columns_and_is_logged(started, caseworker, api_for):
    response = api_for(caseworker).get(f"{URL}{started['id']}/export/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(CASES)
    assert list(rows[0])[:8] == ["uscc", "name", "decision", "reasons", "size_class", "rate", "contributions_paid",
                                 "amount"]
    rounding = next(r for r in rows if r["name"].startswith("rounding_half_up"))
    assert (rounding["amount"], rounding["contributions_paid"], rounding["rate"]) == ("3600.23", "12000.75", "30.00")
    assert all(r["amount"] == "0.00" for r in rows if r["decision"] == "ineligible")
    assert AccessLog.objects.filter(action="export", object_type="refunds.refundrun").count() == 1


def test_export_of_an_approved_run_is_the_disbursement_list(started, supervisor, api_for,
                                                           django_capture_on_commit_callbacks):
    publicize(RefundRun.objects.get(pk=started["id"]))
    api_for(supervisor).post(f"{URL}{started['id']}/approve/", {}, format="json")
    # an XLSX is built in the background: GET …/export/ refuses it, POST …/exports/ starts the job
    assert api_for(supervisor).get(f"{URL}{started['id']}/export/?format=xlsx").status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        job = api_for(supervisor).post(f"{URL}{started['id']}/exports/", {"format": "xlsx"}, format="json").json()
    job = api_for(supervisor).get(f"/api/v1/exports/{job['id']}/").json()
    response = api_for(supervisor).get(job["download_url"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == len(CASES) + 1 and sheet["A1"].value == "uscc"
    assert RefundRun.objects.get(pk=started["id"]).status == RefundRun.Status.EXPORTED


def test_other_regions_caseworker_gets_404_and_cannot_start_there(started, other_caseworker, api_for):
    api = api_for(other_caseworker)
    assert api.get(f"{URL}{started['id']}/").status_code == 404
    assert api.get(f"{URL}{started['id']}/results/").status_code == 404
    assert api.get(f"{URL}{started['id']}/export/?format=csv").status_code == 404
    assert started["id"] not in [r["id"] for r in api.get(URL).json()["results"]]
    response = api.post(URL, {"year": YEAR, "region": "220102"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "region_out_of_scope"


def test_district_caseworker_sees_only_their_rows_of_a_city_run(dataset, supervisor, api_for,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api_for(supervisor).post(URL, {"year": YEAR, "region": "220100"}, format="json").json()["id"]
    kuancheng = UserFactory(username="cw_kuancheng", role="caseworker", region_id="220103")
    assert api_for(kuancheng).get(f"{URL}{run_id}/results/").status_code == 404  # a city run is above them
    assert api_for(supervisor).get(f"{URL}{run_id}/results/").json()["count"] == len(CASES)


def test_what_if_via_api(started, caseworker, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(caseworker).post(URL, {"year": YEAR, "region": "220102", "dry_run": True,
                                                  "overrides": {"stable_job_refund.sme_rate": "70"}}, format="json")
    assert response.status_code == 202 and response.json()["dry_run"] is True
    response = api_for(caseworker).post(URL, {"year": YEAR, "region": "220102", "dry_run": True,
                                              "overrides": {"stable_job_refund.sme_rate": "七十"}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_override"


def test_summary_endpoint(started, caseworker, api_for):
    body = api_for(caseworker).get(f"{URL}{started['id']}/summary/").json()
    assert body["employers"] == len(CASES)
    assert {r["code"] for r in body["by_reason"]} >= {"insufficient_months", "arrears", "layoff_rate_exceeded",
                                                      "serious_dishonesty"}


def test_anonymous_gets_401():
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401
