"""A filter value that does not parse is a field-level 400 (API) or the error page (UI) — never a 500, never
a silently ignored filter. Every list goes through its FilterSet inside the selector."""

import pytest
from django.urls import reverse

from apps.childcare.services import claims
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/childcare"


@pytest.mark.parametrize(("path", "field"), [
    ("claims/?year=abc", "year"),
    ("claims/?year=2025.5", "year"),
    ("claims/?institution=abc", "institution"),
    ("claims/export/?year=abc", "year"),
    ("enrollments/?institution=abc", "institution"),
    ("enrollments/?active_on=yesterday", "active_on"),
    ("attendance/?year=x", "year"),
    ("attendance/?enrollment=1.5", "enrollment"),
    ("attendance/?month=2025", "month"),
    ("institutions/?category=nursery", "category"),
])
def test_api_refuses_a_filter_value_that_does_not_parse(api_for, caseworker, path, field):
    response = api_for(caseworker).get(f"{BASE}/{path}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and field in body["fields"]


@pytest.mark.parametrize(("url_name", "query"), [
    ("childcare:claim-list", "?year=abc"),
    ("childcare:claim-list", "?institution=x"),
    ("childcare:claim-export", "?year=abc&format=csv"),
    ("childcare:enrollment-list", "?institution=abc"),
    ("childcare:institution-list", "?status=open-ish"),
])
def test_ui_shows_the_error_page_for_a_filter_value_that_does_not_parse(client_for, caseworker, url_name, query):
    response = client_for(caseworker).get(reverse(url_name) + query)
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_valid_filters_still_filter(api_for, caseworker):
    place = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=place)
    EnrollmentFactory(institution=InstitutionFactory(region_id="220102"))
    claim = claims.claim_compute(institution=place, year=2025, user=caseworker)
    api = api_for(caseworker)
    assert [r["id"] for r in api.get(f"{BASE}/claims/?year=2025&institution={place.pk}").json()["results"]] == [claim.pk]
    assert api.get(f"{BASE}/claims/?year=2024").json()["results"] == []
    assert len(api.get(f"{BASE}/enrollments/?institution={place.pk}").json()["results"]) == 1
