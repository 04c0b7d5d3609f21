"""/api/v1/startup-loans/…: create with the Idempotency-Key (a replay returns the first answer, one record), field
errors with stable codes (a bad amount, a bad USCC, a NUL byte: 400 not 500), masked ID numbers in the list and the
stored explanation in the detail, another region's ids 404, non-numeric ids 404, four eyes, the claim."""

import pytest

from apps.startup_loans.models import LoanApplication, SubsidyClaim
from tests.startup_loans.conftest import approved_application, make_application, schedule, target_person

pytestmark = pytest.mark.django_db

BASE = "/api/v1/startup-loans"


def _body(who, **overrides):
    return {"person": who.pk, "application_date": "2026-03-01", "business_name": "南关区返乡农家菜馆",
            "amount_requested": "200000.00", "term_months": 24, "lender_bank": "吉林银行长春南关支行", **overrides}


def test_create_is_idempotent_and_decides(api_for, caseworker):
    api = api_for(caseworker)
    person = target_person()
    response = api.post(f"{BASE}/applications/", _body(person), format="json", headers={"Idempotency-Key": "loan-1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["eligible"] is True and body["guaranteed_amount"] == "200000.00"
    assert body["target_groups"] == ["migrant_worker"] and body["interest_subsidy_share"] == "50.00"
    assert [s["label"] for s in body["explanation"]["steps"]][:2] == ["扶持对象身份", "贷款期限"]
    assert len(body["parameter_versions"]) == 3
    again = api.post(f"{BASE}/applications/", _body(person), format="json", headers={"Idempotency-Key": "loan-1"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert LoanApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_requested": "abc"}, "amount_requested"),
        ({"amount_requested": "0"}, "amount_requested"),
        ({"amount_requested": "100.001"}, "amount_requested"),
        ({"term_months": 0}, "term_months"),
        ({"business_uscc": "91220101MA0Y3XXXX1"}, "business_uscc"),
        ({"business_name": "南关\u0000菜馆"}, "business_name"),
        ({"lender_bank": ""}, "lender_bank"),
        ({"application_date": "2026-02-30"}, "application_date"),
        ({"person": "abc"}, "person"),
    ],
)
def test_field_errors(api_for, caseworker, overrides, field):
    response = api_for(caseworker).post(f"{BASE}/applications/", _body(target_person(), **overrides), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["fields"] and body["code"], body
    assert not LoanApplication.objects.exists()


def test_person_of_another_region_is_a_field_error(api_for, caseworker):
    response = api_for(caseworker).post(f"{BASE}/applications/", _body(target_person(region_id="220204")),
                                        format="json")
    assert response.status_code == 400 and "person" in response.json()["fields"]


def test_list_masks_and_other_region_is_404(api_for, caseworker, other_caseworker):
    application = make_application(caseworker)
    rows = api_for(caseworker).get(f"{BASE}/applications/").json()["results"]
    assert rows[0]["person_id_number"] == application.masked_id_number
    other = api_for(other_caseworker)
    assert other.get(f"{BASE}/applications/").json()["results"] == []
    assert other.get(f"{BASE}/applications/{application.pk}/").status_code == 404
    assert other.post(f"{BASE}/applications/{application.pk}/review/", {"action": "approve"},
                      format="json").status_code == 404
    assert other.get(f"{BASE}/applications/abc/").status_code == 404
    assert other.get(f"{BASE}/applications/?status=nope").status_code == 400


def test_four_eyes_and_not_eligible(api_for, supervisor, province_admin):
    application = make_application(supervisor, person=target_person())
    refused = api_for(supervisor).post(f"{BASE}/applications/{application.pk}/review/", {"action": "approve"},
                                       format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "four_eyes"
    too_long = make_application(supervisor, person=target_person(), term_months=48)
    conflict = api_for(province_admin).post(f"{BASE}/applications/{too_long.pk}/review/", {"action": "approve"},
                                            format="json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "not_eligible"
    ok = api_for(province_admin).post(f"{BASE}/applications/{application.pk}/review/", {"action": "approve"},
                                      format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"


def test_claim_through_the_api(api_for, caseworker, supervisor, province_admin):
    application = approved_application(caseworker, supervisor)
    schedule(application, paid=(1, 2, 3), interest="0.01")
    api = api_for(caseworker)
    response = api.post(f"{BASE}/applications/{application.pk}/claims/", headers={"Idempotency-Key": "claim-1"})
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "0.02" and response.json()["periods_count"] == 3
    replay = api.post(f"{BASE}/applications/{application.pk}/claims/", headers={"Idempotency-Key": "claim-1"})
    assert replay.status_code == 201 and SubsidyClaim.objects.count() == 1
    nothing = api.post(f"{BASE}/applications/{application.pk}/claims/")
    assert nothing.status_code == 409 and nothing.json()["code"] == "nothing_to_claim"
    claim_id = response.json()["id"]
    own = api.post(f"{BASE}/claims/{claim_id}/review/", {"action": "approve"}, format="json")
    assert own.status_code == 403
    done = api_for(province_admin).post(f"{BASE}/claims/{claim_id}/review/", {"action": "approve"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_create_at_a_lender_of_the_registry(api_for, caseworker, province_admin):
    from tests.startup_loans.conftest import make_lender

    lender = make_lender(caseworker)
    far = make_lender(province_admin, region_id="220204", serial=8_800_009, name="吉林银行船营支行")
    api = api_for(caseworker)
    body = {**_body(target_person()), "lender_bank": "", "lender": far.pk}
    refused = api.post(f"{BASE}/applications/", body, format="json", headers={"Idempotency-Key": "loan-far"})
    assert refused.status_code == 400 and "lender" in refused.json()["fields"]  # another region's: unknown
    body["lender"] = lender.pk
    response = api.post(f"{BASE}/applications/", body, format="json", headers={"Idempotency-Key": "loan-lender"})
    assert response.status_code == 201, response.json()
    assert (response.json()["lender"], response.json()["lender_bank"]) == (lender.pk, lender.name)
