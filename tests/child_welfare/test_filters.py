"""Every list filters through its FilterSet inside the selector: a value that does not parse is a 400 in the
house shape (API) or the error page (UI) — never a 500, never a filter silently dropped."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from apps.child_welfare import selectors
from apps.child_welfare.ages import age_on
from apps.child_welfare.models import CharityResource, Domain
from tests.child_welfare.conftest import complete_assessment, report

pytestmark = pytest.mark.django_db

BASE = "/api/v1/child-welfare"


@pytest.mark.parametrize("path, query, field", [
    ("cases", "assigned_worker=abc", "assigned_worker"),
    ("cases", "status=teleported", "status"),
    ("assessments", "case=abc", "case"),
    ("plans", "case=1.5", "case"),
    ("plans", "domain=cooking", "domain"),
    ("visits", "case=abc", "case"),
    ("referrals", "case=abc", "case"),
    ("referrals", "status=lost", "status"),
])
def test_api_list_with_a_value_that_does_not_parse_is_a_400(caseworker, case, api_for, path, query, field):
    response = api_for(caseworker).get(f"{BASE}/{path}/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and field in body["fields"]


def test_api_filter_by_a_case_out_of_reach_matches_nothing_and_tells_nothing(caseworker, other_caseworker, case,
                                                                             api_for):
    complete_assessment(caseworker, case)
    mine = api_for(caseworker).get(f"{BASE}/assessments/?case={case.pk}")
    assert mine.status_code == 200 and mine.json()["count"] == 1
    # Another region's caseworker: the same answer as for an id that does not exist (no existence oracle).
    for case_id in (case.pk, 999999):
        theirs = api_for(other_caseworker).get(f"{BASE}/assessments/?case={case_id}")
        assert theirs.status_code == 200 and theirs.json()["count"] == 0


def test_api_non_numeric_ids_in_the_path_are_404_not_500(caseworker, case, api_for):
    api = api_for(caseworker)
    assert api.get(f"{BASE}/cases/abc/").status_code == 404
    assert api.post(f"{BASE}/cases/abc/risk/", {"risk_level": "high", "reason": "x", "version": 1},
                    format="json").status_code == 404
    assert api.get(f"{BASE}/visits/abc/").status_code == 404


@pytest.mark.parametrize("url_name, query", [
    ("case-list", "assigned_worker=abc"),
    ("case-list", "scope=region&status=teleported"),
    ("case-list-export", "category=nothing"),
    ("matching", "domain=cooking"),
])
def test_page_with_a_value_that_does_not_parse_is_the_error_page(caseworker, case, client_for, url_name, query):
    response = client_for(caseworker).get(f"{reverse(f'child_welfare:{url_name}')}?{query}")
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_good_filters_still_filter(caseworker, case, client_for):
    web = client_for(caseworker)
    assert case.reference in web.get(reverse("child_welfare:case-list") + "?status=reported").content.decode()
    assert case.reference not in web.get(reverse("child_welfare:case-list") + "?status=closed").content.decode()


def test_matching_narrows_to_one_domain_in_the_selector(caseworker):
    case = report(caseworker)
    complete_assessment(caseworker, case, severity="high")
    rows = selectors.resource_matches(user=caseworker, filters={"domain": Domain.EDUCATION})
    assert [(row["case"].pk, row["need"].domain) for row in rows] == [(case.pk, Domain.EDUCATION)]
    assert len(selectors.resource_matches(user=caseworker)) == len(Domain.values)


def test_refer_to_a_resource_that_is_not_a_number_is_a_404(caseworker, case, client_for):
    CharityResource.objects.create(name="课业辅导", provider="志愿者协会", provider_type="volunteer",
                                   domain=Domain.EDUCATION, region_id="220000")
    response = client_for(caseworker).post(reverse("child_welfare:match-refer", args=[case.pk]), {"resource": "x"})
    assert response.status_code == 404


def test_a_user_without_a_region_sees_no_case_and_no_worklist(caseworker, case, supervisor):
    supervisor.region = None
    supervisor.save()
    today = date.today()
    assert not selectors.case_list(user=supervisor).exists()
    assert not selectors.case_region_overview(user=supervisor).exists()
    assert selectors.resource_matches(user=supervisor) == []
    assert not selectors.director_caseload(user=supervisor, today=today).exists()
    assert not selectors.overdue_visits(user=supervisor, today=date(2100, 1, 1)).exists()
    assert selectors.open_cases_without_director(user=supervisor) == 0


@pytest.mark.parametrize("nobody", [None, AnonymousUser()])
def test_no_user_sees_no_case(caseworker, case, nobody):
    assert not selectors.case_list(user=nobody).exists()
    assert not selectors.case_region_overview(user=nobody).exists()
    assert not selectors.visit_list(user=nobody).exists()
    assert not selectors.user_can_open(nobody, case)


def test_a_child_born_on_29_february_is_a_year_older_on_1_march():
    birth = date(2008, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 17
    assert age_on(birth, date(2026, 3, 1)) == 18
    assert age_on(birth, date(2024, 2, 29)) == 16
