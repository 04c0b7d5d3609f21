"""/api/v1/refund-runs/{id}/first-review/, /publish/, /approve/ (复核) and the integrators' /publicity/."""

from datetime import date, timedelta

import pytest

from apps.refunds.models import RefundRun
from tests.refund_review import move_window

pytestmark = pytest.mark.django_db
URL = "/api/v1/refund-runs/"


def test_the_api_walks_first_review_publish_and_approve(run, caseworker, supervisor, reviewer_b, api_for):
    first, second = api_for(supervisor), api_for(reviewer_b)
    assert api_for(caseworker).post(f"{URL}{run.pk}/first-review/", {}).json()["code"] == "reviewer_required"
    response = first.post(f"{URL}{run.pk}/first-review/", {"comment": "核对无误"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "first_reviewed"
    assert response.json()["first_reviewed_by"] == supervisor.username

    before = first.get(f"{URL}{run.pk}/publicity/").json()
    assert before["published"] is False and before["rows"] == []
    response = first.post(f"{URL}{run.pk}/publish/", headers={"Idempotency-Key": "publish-1"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "publicizing" and body["publicity_starts_on"] and body["publicity_ends_on"]
    replay = first.post(f"{URL}{run.pk}/publish/", headers={"Idempotency-Key": "publish-1"})
    assert replay.status_code == 200 and replay.json() == body  # the same key: the first answer again
    again = first.post(f"{URL}{run.pk}/publish/")
    assert again.status_code == 409 and again.json()["code"] == "run_not_first_reviewed"

    listing = api_for(caseworker).get(f"{URL}{run.pk}/publicity/").json()
    assert listing["published"] is True and "/public/publicity/" in listing["public_url"]
    assert listing["columns"] == ["单位名称", "统一社会信用代码（脱敏）", "企业划型", "拟返还金额（元）"]
    assert len(listing["rows"]) == 3 and listing["rows"][0][3] == "3600.23" and "*" in listing["rows"][0][1]

    refused = second.post(f"{URL}{run.pk}/approve/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "publicity_window_open"
    assert first.post(f"{URL}{run.pk}/approve/", {}, format="json").json()["code"] == "four_eyes"
    today = date.today()
    move_window(run, starts_on=today - timedelta(days=8), ends_on=today - timedelta(days=1))
    response = second.post(f"{URL}{run.pk}/approve/", {"comment": "公示期满"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert RefundRun.objects.get(pk=run.pk).decided_by == reviewer_b


def test_other_regions_get_404(run, other_caseworker, api_for):
    api = api_for(other_caseworker)
    for path in ("first-review/", "publish/", "approve/"):
        assert api.post(f"{URL}{run.pk}/{path}", {}, format="json").status_code == 404
    assert api.get(f"{URL}{run.pk}/publicity/").status_code == 404


def test_the_schema_documents_the_steps(api_for, caseworker):
    schema = api_for(caseworker).get("/api/schema/?format=json").json()
    publish = schema["paths"]["/api/v1/refund-runs/{id}/publish/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in publish.get("parameters", []))
    approve = schema["paths"]["/api/v1/refund-runs/{id}/approve/"]["post"]
    assert "publicity_window_open" in str(approve)
    assert "/api/v1/refund-runs/{id}/first-review/" in schema["paths"]
    assert "/api/v1/refund-runs/{id}/publicity/" in schema["paths"]
