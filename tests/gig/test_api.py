import pytest

from apps.gig.models import Availability, Placement
from tests.gig.conftest import START, make_posting, make_worker

pytestmark = pytest.mark.django_db


def test_create_a_worker_idempotently_and_list_masked(api_for, caseworker):
    api = api_for(caseworker)
    body = {"id_number": "22010219900307003X", "name": "李春生", "trades": ["bricklayer"], "region_code": "220102",
            "available_from": "2026-04-01", "available_to": "2026-04-30", "expected_pay": "240.00"}
    first = api.post("/api/v1/gig/workers/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    again = api.post("/api/v1/gig/workers/", body, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Availability.objects.count() == 1
    listed = api.get("/api/v1/gig/workers/").json()
    assert listed["results"][0]["id_number"] == "2201**********003X"


@pytest.mark.parametrize("body, field", [
    ({"trades": []}, "trades"), ({"trades": ["astronaut"]}, "trades"), ({"region_code": "220204"}, "region_code"),
    ({"region_code": "2201\x0002"}, "region_code"), ({"region_code": 220102}, "region_code"),
    ({"available_to": "2026-03-01"}, "available_to")])
def test_worker_create_field_errors(api_for, caseworker, body, field):
    base = {"id_number": "22010219900307003X", "name": "李春生", "trades": ["bricklayer"], "region_code": "220102",
            "available_from": "2026-04-01", "available_to": "2026-04-30"}
    response = api_for(caseworker).post("/api/v1/gig/workers/", {**base, **body}, format="json")
    assert response.status_code == 400 and any(k.startswith(field) for k in response.json()["fields"]), response.json()


def test_matches_place_and_follow_up(api_for, caseworker):
    posting = make_posting(caseworker, headcount=1)
    worker = make_worker(caseworker)
    api = api_for(caseworker)
    matches = api.get(f"/api/v1/gig/postings/{posting.pk}/matches/").json()
    assert matches[0]["id"] == worker.pk and matches[0]["reasons"][0] == "工种一致：瓦工"
    placed = api.post(f"/api/v1/gig/postings/{posting.pk}/place/", {"availability": worker.pk,
                                                                    "start_date": START.isoformat()}, format="json")
    assert placed.status_code == 201, placed.json()
    full = api.post(f"/api/v1/gig/postings/{posting.pk}/place/", {"availability": make_worker(caseworker).pk,
                                                                  "start_date": START.isoformat()}, format="json")
    assert full.status_code == 409 and full.json()["code"] == "posting_not_open"
    pk = placed.json()["id"]
    visit = api.post(f"/api/v1/gig/placements/{pk}/follow-up/", {"visited_on": START.isoformat(), "outcome": "on_job",
                                                                 "pay_received": True}, format="json")
    assert visit.status_code == 201 and visit.json()["outcome"] == "on_job"
    assert Placement.objects.get(pk=pk).pay_received is True


def test_out_of_scope_and_bad_ids_are_404(api_for, caseworker, other_caseworker):
    posting = make_posting(caseworker)
    api = api_for(other_caseworker)
    assert api.get(f"/api/v1/gig/postings/{posting.pk}/").status_code == 404
    assert api.get(f"/api/v1/gig/postings/{posting.pk}/matches/").status_code == 404
    assert api.post(f"/api/v1/gig/postings/{posting.pk}/place/", {}, format="json").status_code == 404
    assert api.get("/api/v1/gig/postings/abc/").status_code == 404
    assert api_for(caseworker).get("/api/v1/gig/postings/?status=nope").status_code == 400


def test_place_with_an_out_of_scope_worker_is_a_field_error(api_for, caseworker, other_caseworker):
    posting = make_posting(caseworker)
    elsewhere = make_worker(other_caseworker, region="220204")
    response = api_for(caseworker).post(f"/api/v1/gig/postings/{posting.pk}/place/",
                                        {"availability": elsewhere.pk, "start_date": START.isoformat()}, format="json")
    assert response.status_code == 400 and "availability" in response.json()["fields"]


def test_withdraw_needs_a_reason(api_for, caseworker):
    posting = make_posting(caseworker)
    api = api_for(caseworker)
    refused = api.post(f"/api/v1/gig/postings/{posting.pk}/transition/", {"action": "withdraw"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    done = api.post(f"/api/v1/gig/postings/{posting.pk}/transition/", {"action": "withdraw", "note": "工程取消"},
                    format="json")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
