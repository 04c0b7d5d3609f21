"""Every list filters through its FilterSet inside the selector: a value that does not parse is a field-level
400 in the API and the error page in the UI — never a 500, never a silently ignored filter."""

from datetime import date

import pytest
from django.urls import reverse

from apps.training.models import FollowUp
from tests.training.conftest import make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/training/enrollments/?program=abc", "program"),
    ("/api/v1/training/enrollments/?status=teleported", "status"),
    ("/api/v1/training/programs/?provider=abc", "provider"),
    ("/api/v1/training/occupations/?kind=planet", "kind"),
])
def test_api_answers_400_for_a_filter_value_that_does_not_parse(api_for, caseworker, url, field):
    response = api_for(caseworker).get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_filter" and field in body["fields"]


@pytest.mark.parametrize(("name", "query"), [
    ("training:enrollment-list", "program=abc"),
    ("training:program-list", "provider=abc"),
    ("training:catalogue", "kind=planet"),
])
def test_ui_shows_the_error_page_for_a_filter_value_that_does_not_parse(client_for, caseworker, name, query):
    response = client_for(caseworker).get(f"{reverse(name)}?{query}")
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_good_filter_values_still_filter(api_for, client_for, caseworker, occupations):
    program = make_program(occupations)
    other = make_program(occupations)
    make_enrollment(program, caseworker)
    make_enrollment(other, caseworker)
    api = api_for(caseworker)
    assert api.get(f"/api/v1/training/enrollments/?program={program.pk}").json()["count"] == 1
    page = client_for(caseworker).get(reverse("training:enrollment-list"), {"program": other.pk})
    assert page.status_code == 200 and len(page.context["object_list"]) == 1


def test_overdue_follow_ups_filter(api_for, caseworker, occupations):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "completed", caseworker)
    FollowUp.objects.filter(enrollment=enrollment, months=3).update(due_on=date(2000, 1, 1))
    FollowUp.objects.filter(enrollment=enrollment, months=6).update(due_on=date(2999, 1, 1))
    api = api_for(caseworker)
    assert api.get("/api/v1/training/follow-ups/").json()["count"] == 2
    overdue = api.get("/api/v1/training/follow-ups/", {"overdue": "1"}).json()
    assert overdue["count"] == 1 and overdue["results"][0]["months"] == 3
