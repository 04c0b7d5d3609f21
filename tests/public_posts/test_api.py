"""/api/v1/public-posts/…: scoped (another region's ids are 404), bad ids, field-level 400s with stable codes,
the Idempotency-Key on creating POSTs, the run's four eyes."""

from datetime import date

import pytest

from apps.public_posts.models import Placement, PublicPost
from tests.factories import PersonFactory, UserFactory
from tests.public_posts.conftest import difficult_person, make_post

pytestmark = pytest.mark.django_db

BASE = "/api/v1/public-posts"


def test_create_post_and_list(api_for, caseworker):
    api = api_for(caseworker)
    response = api.post(f"{BASE}/posts/", {"name": "保洁员", "post_type": "cleaning_greening",
                                           "employer_name": "幸福街道办事处", "region_code": "220102", "places": 2,
                                           "start_date": "2026-01-01"}, format="json",
                        headers={"Idempotency-Key": "post-1"})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "open" and response.json()["taken"] == 0
    again = api.post(f"{BASE}/posts/", {"name": "保洁员", "post_type": "cleaning_greening",
                                        "employer_name": "幸福街道办事处", "region_code": "220102", "places": 2,
                                        "start_date": "2026-01-01"}, format="json",
                     headers={"Idempotency-Key": "post-1"})
    assert again.status_code == 201 and PublicPost.objects.count() == 1
    assert [p["name"] for p in api.get(f"{BASE}/posts/").json()["results"]] == ["保洁员"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"post_type": "nope"}, "post_type"),
        ({"places": 0}, "places"),
        ({"region_code": "999999"}, "region_code"),
        ({"start_date": "2026-13-01"}, "start_date"),
    ],
)
def test_post_field_errors(api_for, caseworker, body, field):
    values = {"name": "保洁员", "post_type": "cleaning_greening", "employer_name": "单位", "region_code": "220102",
              "places": 1, "start_date": "2026-01-01", **body}
    response = api_for(caseworker).post(f"{BASE}/posts/", values, format="json")
    assert response.status_code == 400 and field in response.json()["fields"], response.content


def test_post_in_another_region_is_refused(api_for, caseworker):
    response = api_for(caseworker).post(f"{BASE}/posts/", {
        "name": "保洁员", "post_type": "cleaning_greening", "employer_name": "单位", "region_code": "220204",
        "places": 1, "start_date": "2026-01-01"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "region_out_of_scope"


def test_place_refuses_a_person_without_the_tag(api_for, caseworker):
    post = make_post(caseworker)
    response = api_for(caseworker).post(f"{BASE}/posts/{post.pk}/placements/", {
        "person": PersonFactory().pk, "start_date": "2026-03-01", "agreed_end_date": "2027-02-28"}, format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "not_employment_difficulty"
    assert "就业困难" in body["detail"] and "person" in body["fields"]


def test_place_exit_renew(api_for, caseworker):
    post = make_post(caseworker, places=1)
    api = api_for(caseworker)
    person = difficult_person()
    created = api.post(f"{BASE}/posts/{post.pk}/placements/", {
        "person": person.pk, "start_date": "2026-03-01", "agreed_end_date": "2027-02-28"}, format="json",
        headers={"Idempotency-Key": "place-1"})
    assert created.status_code == 201, created.content
    placement = created.json()
    assert placement["id_number"].count("*") >= 8  # masked
    full = api.post(f"{BASE}/posts/{post.pk}/placements/", {
        "person": difficult_person().pk, "start_date": "2026-03-01", "agreed_end_date": "2027-02-28"}, format="json")
    assert full.status_code == 409 and full.json()["code"] == "post_full"
    renewed = api.post(f"{BASE}/placements/{placement['id']}/renew/", {"new_end_date": "2029-02-28"}, format="json")
    assert renewed.status_code == 200 and renewed.json()["agreed_end_date"] == "2029-02-28"
    too_far = api.post(f"{BASE}/placements/{placement['id']}/renew/", {"new_end_date": "2029-03-01"}, format="json")
    assert too_far.status_code == 400 and too_far.json()["code"] == "tenure_limit_exceeded"
    assert "new_end_date" in too_far.json()["fields"]
    bad = api.post(f"{BASE}/placements/{placement['id']}/exit/", {"exit_date": "2026-06-15", "reason": "x"},
                   format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["fields"]
    exited = api.post(f"{BASE}/placements/{placement['id']}/exit/", {"exit_date": "2026-06-15",
                                                                      "reason": "found_job"}, format="json")
    assert exited.status_code == 200 and exited.json()["status"] == "exited"
    assert api.get(f"{BASE}/placements/?post={post.pk}&status=exited").json()["count"] == 1


def test_bad_filters_and_ids(api_for, caseworker):
    api = api_for(caseworker)
    assert api.get(f"{BASE}/placements/?post=abc").status_code == 400
    assert api.get(f"{BASE}/posts/abc/").status_code == 404
    assert api.get(f"{BASE}/posts/999999/").status_code == 404
    post = make_post(caseworker)
    response = api.post(f"{BASE}/posts/{post.pk}/placements/", {
        "person": "abc", "start_date": "2026-03-01", "agreed_end_date": "2027-02-28"}, format="json")
    assert response.status_code == 400 and "person" in response.json()["fields"]


def test_another_region_sees_404_whatever_the_body(api_for, caseworker, other_caseworker):
    post = make_post(caseworker, places=1)
    placement = Placement.objects.create(post=post, person=difficult_person(), region_id="220102",
                                         start_date=date(2026, 3, 1), agreed_end_date=date(2026, 12, 31))
    api = api_for(other_caseworker)
    assert api.get(f"{BASE}/posts/{post.pk}/").status_code == 404
    assert api.post(f"{BASE}/posts/{post.pk}/placements/", {}, format="json").status_code == 404
    assert api.post(f"{BASE}/posts/{post.pk}/status/", {"status": "closed"}, format="json").status_code == 404
    assert api.get(f"{BASE}/placements/{placement.pk}/").status_code == 404
    assert api.post(f"{BASE}/placements/{placement.pk}/exit/", {}, format="json").status_code == 404
    assert api.get(f"{BASE}/posts/").json()["count"] == 0
    # a person of another region cannot be named either (unknown and out of scope answer alike)
    own = make_post(other_caseworker, region_id="220204")
    response = api.post(f"{BASE}/posts/{own.pk}/placements/", {
        "person": placement.person_id, "start_date": "2026-03-01", "agreed_end_date": "2026-12-31"}, format="json")
    assert response.status_code == 400 and "person" in response.json()["fields"]


def test_run_start_lines_and_four_eyes(api_for, caseworker, django_capture_on_commit_callbacks):
    post = make_post(caseworker)
    api = api_for(caseworker)
    api.post(f"{BASE}/posts/{post.pk}/placements/", {
        "person": difficult_person().pk, "start_date": "2026-03-16", "agreed_end_date": "2027-02-28"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"{BASE}/runs/", {"region": "220102", "month": "2026-03"}, format="json",
                           headers={"Idempotency-Key": "run-1"})
    assert started.status_code == 202, started.content
    run_id = started.json()["id"]
    run = api.get(f"{BASE}/runs/{run_id}/").json()
    assert run["status"] == "computed" and run["total_amount"] == "1419.35" and run["month"] == "2026-03"
    lines = api.get(f"{BASE}/runs/{run_id}/lines/").json()["results"]
    assert lines[0]["days_in_post"] == 16 and lines[0]["explanation"]["calculator"] == "public-post-subsidy"
    again = api.post(f"{BASE}/runs/", {"region": "220102", "month": "2026-03"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "run_exists"
    assert api.post(f"{BASE}/runs/{run_id}/approve/", {}, format="json").json()["code"] == "reviewer_required"
    reviewer = UserFactory(username="api_rev", role="supervisor", region_id="220102")
    refused = api_for(reviewer).post(f"{BASE}/runs/{run_id}/reject/", {"note": ""}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    approved = api_for(reviewer).post(f"{BASE}/runs/{run_id}/approve/", {"note": "无误"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_the_maker_cannot_approve(api_for, django_capture_on_commit_callbacks):
    maker = UserFactory(username="api_maker", role="supervisor", region_id="220102")
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api_for(maker).post(f"{BASE}/runs/", {"region": "220102", "month": "2026-03"},
                                     format="json").json()["id"]
    response = api_for(maker).post(f"{BASE}/runs/{run_id}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "four_eyes"


def test_run_bad_month_and_region(api_for, caseworker):
    api = api_for(caseworker)
    assert "month" in api.post(f"{BASE}/runs/", {"region": "220102", "month": "2026-13"}, format="json").json()["fields"]
    response = api.post(f"{BASE}/runs/", {"region": "220204", "month": "2026-03"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "region_out_of_scope"
