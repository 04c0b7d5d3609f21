from datetime import date

import pytest
from django.urls import reverse

from apps.employers.models import Employer
from tests.factories import ContributionFactory, EmployerFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


def test_list_search_filter_and_sort(api_for, caseworker):
    a = EmployerFactory(name="长白山机械有限公司", employees=10)
    b = EmployerFactory(name="长春汇通商贸有限公司", employees=300, industry="wholesale")
    EmployerFactory(name="松花江运输有限公司", serious_dishonesty=True)
    api = api_for(caseworker)
    ids = lambda params: [r["id"] for r in api.get("/api/v1/employers/", params).json()["results"]]  # noqa: E731
    assert ids({"q": "长", "ordering": "-employees"}) == [b.pk, a.pk]
    assert ids({"q": a.uscc}) == [a.pk]
    assert ids({"q": a.uscc[:17], "industry": "industry"}) == [a.pk]
    assert ids({"industry": "wholesale"}) == [b.pk]
    assert len(ids({"serious_dishonesty": "true"})) == 1


def test_list_page_sortable_headers_and_query_count(client_for, caseworker):
    client = client_for(caseworker)
    response = assert_queries_constant(
        lambda: client.get(reverse("employers:list"), {"ordering": "name", "entity_type": "enterprise"}),
        EmployerFactory.create_batch, n=4,
        exactly=6)  # session, user, user's region, count, page, saved filters — for 4 employers and for 12
    html = response.content.decode()
    assert "ordering=-name" in html and "▲" in html


def test_api_list_query_count(api_for, caseworker):
    api = api_for(caseworker)
    employers = assert_queries_constant(lambda: api.get("/api/v1/employers/"), ContributionFactory.create_batch,
                                        n=4, exactly=2)  # count + page, for 4 rows and for 12
    assert len(employers.json()["results"]) == 12
    contributions = assert_queries_constant(
        lambda: api.get("/api/v1/contributions/", {"period_from": "2025-01-01"}), ContributionFactory.create_batch,
        n=4, exactly=2)
    assert len(contributions.json()["results"]) == 24


def test_api_create_update_and_conflict(api_for, caseworker):
    from tests.imports.helpers import uscc

    api = api_for(caseworker)
    data = {"uscc": uscc(50), "name": "接口单位", "entity_type": "enterprise", "industry": "retail",
            "region_code": "220102", "revenue_10k": "100.50"}
    response = api.post("/api/v1/employers/", data, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert api.patch(f"/api/v1/employers/{pk}/", {"employees": 7}, format="json").json()["employees"] == 7
    assert api.post("/api/v1/employers/", data, format="json").status_code == 409
    bad = api.post("/api/v1/employers/", {**data, "uscc": uscc(51)[:-1] + "0", "region_code": "220204"},
                   format="json")
    assert bad.status_code == 400


def test_api_create_in_other_region_refused(api_for, caseworker):
    from tests.imports.helpers import uscc

    response = api_for(caseworker).post("/api/v1/employers/", {
        "uscc": uscc(52, "220204"), "name": "外区单位", "entity_type": "enterprise", "industry": "retail",
        "region_code": "220204"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "region_out_of_scope"


def test_detail_shows_contributions_and_is_scoped(client_for, caseworker, other_caseworker):
    contribution = ContributionFactory(period=date(2025, 3, 1))
    url = reverse("employers:detail", args=[contribution.employer_id])
    assert "2025-03" in client_for(caseworker).get(url).content.decode()
    assert client_for(other_caseworker).get(url).status_code == 404


def test_contribution_api_scoped(api_for, other_caseworker):
    ContributionFactory()
    assert api_for(other_caseworker).get("/api/v1/contributions/").json()["results"] == []


def test_form_errors_in_chinese_and_edit(client_for, caseworker):
    employer = EmployerFactory()
    client = client_for(caseworker)
    response = client.post(reverse("employers:edit", args=[employer.pk]), {
        "uscc": employer.uscc, "name": "", "entity_type": "enterprise", "industry": "industry", "region": "220102",
        "revenue_10k": "-1"})
    html = response.content.decode()
    assert "该字段是必填项" in html and "确保该值大于或等于0" in html
    response = client.post(reverse("employers:edit", args=[employer.pk]), {
        "uscc": employer.uscc, "name": "新名称有限公司", "entity_type": "enterprise", "industry": "industry",
        "region": "220102"})
    assert response.status_code == 302
    assert Employer.objects.get(pk=employer.pk).name == "新名称有限公司"


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/employers/", {"entity_type": "bogus"}, "entity_type"),
    ("/api/v1/employers/", {"ordering": "uscc; drop"}, "ordering"),
    ("/api/v1/contributions/", {"employer": "abc"}, "employer"),
    ("/api/v1/contributions/", {"period_from": "2025-13-01"}, "period_from"),
])
def test_api_filter_that_does_not_parse_is_a_field_level_400(api_for, caseworker, path, params, field):
    ContributionFactory()
    response = api_for(caseworker).get(path, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and list(body["fields"]) == [field]


def test_ui_list_with_a_bad_filter_shows_the_error_page(client_for, caseworker):
    response = client_for(caseworker).get(reverse("employers:list"), {"entity_type": "bogus"})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_duplicate_uscc_is_a_conflict_in_the_service(caseworker):
    from apps.core.exceptions import ConflictError
    from apps.employers.services import employer_save

    existing = EmployerFactory()
    with pytest.raises(ConflictError) as caught:
        employer_save(employer=Employer(uscc=existing.uscc.lower(), name="另一家", region_id="220102"),
                      user=caseworker)
    assert caught.value.code == "employer_exists"
    other = EmployerFactory()
    other.uscc = existing.uscc
    with pytest.raises(ConflictError):
        employer_save(employer=other, user=caseworker)


def test_services_log_what_they_decided(caplog, caseworker):
    import logging

    from apps.employers.services import employer_save

    caplog.set_level(logging.INFO, logger="apps.employers.services")
    employer = employer_save(employer=EmployerFactory.build(region_id="220102"), user=caseworker)
    record = next(r for r in caplog.records if r.getMessage() == "employer saved")
    assert record.employer_id == employer.pk and record.is_new is True
