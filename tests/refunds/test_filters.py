"""Every refund list filters through its FilterSet: a value that does not parse is a 400, never a 500."""

import pytest
from django.urls import reverse

from tests.refunds.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = "/api/v1/refund-runs/"


@pytest.fixture
def run(dataset, caseworker, run_now):
    return run_now(user=caseworker, region_code="220102")


def test_api_run_list_with_a_non_numeric_year_is_a_field_400(run, caseworker, api_for):
    response = api_for(caseworker).get(URL, {"year": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and "year" in body["fields"]
    assert api_for(caseworker).get(URL, {"year": YEAR}).json()["count"] == 1


def test_api_result_list_with_a_non_numeric_amount_is_a_field_400(run, caseworker, api_for):
    response = api_for(caseworker).get(f"{URL}{run.pk}/results/", {"amount_min": "x"})
    assert response.status_code == 400 and "amount_min" in response.json()["fields"]


def test_runs_page_with_a_non_numeric_year_is_a_400_page(run, caseworker, client_for):
    response = client_for(caseworker).get(reverse("refunds:list"), {"year": "abc"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_run_detail_with_an_unknown_decision_is_a_400_page(run, caseworker, client_for):
    response = client_for(caseworker).get(reverse("refunds:detail", args=[run.pk]), {"decision": "maybe"})
    assert response.status_code == 400
