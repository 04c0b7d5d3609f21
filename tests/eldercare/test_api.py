"""/api/v1/eldercare/…: create with field-level Chinese errors and stable codes, the NUL byte a 400, scoping (404),
masked ID numbers, the claim's refusal codes, four eyes, idempotent creates, the 公示 JSON."""

from datetime import date

import pytest

from apps.core.demo import make_uscc
from apps.eldercare import services
from apps.eldercare.models import IncentiveClaim, Institution
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/eldercare"


def test_create_institution_and_list(api_for, caseworker):
    api = api_for(caseworker)
    response = api.post(f"{BASE}/institutions/", {
        "name": "南关区福寿养老院", "uscc": make_uscc("220102", 4321), "ownership": "private", "region_code": "220102",
        "beds": 120, "older_people_served": 96}, format="json")
    assert response.status_code == 201, response.content
    assert api.get(f"{BASE}/institutions/").json()["results"][0]["name"] == "南关区福寿养老院"


def test_invalid_uscc_is_a_field_error(api_for, caseworker):
    response = api_for(caseworker).post(f"{BASE}/institutions/", {
        "name": "x", "uscc": "91220102MA0Y3L6X6X", "region_code": "220102", "beds": 1, "older_people_served": 1},
        format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_uscc"
    assert "uscc" in response.json()["fields"]


@pytest.mark.parametrize("field", ["name", "uscc", "region_code"])
def test_nul_byte_is_400(api_for, caseworker, field):
    body = {"name": "福寿养老院", "uscc": make_uscc("220102", 4322), "region_code": "220102", "beds": 1,
            "older_people_served": 1}
    body[field] = body[field][:3] + "\x00" + body[field][3:]
    assert api_for(caseworker).post(f"{BASE}/institutions/", body, format="json").status_code == 400


def test_institution_of_other_region_refused_and_invisible(api_for, caseworker, other_caseworker, institution):
    api = api_for(other_caseworker)
    assert api.get(f"{BASE}/institutions/{institution.pk}/").status_code == 404
    assert api.patch(f"{BASE}/institutions/{institution.pk}/", {"beds": 1}, format="json").status_code == 404
    assert api.get(f"{BASE}/institutions/").json()["results"] == []
    response = api.post(f"{BASE}/institutions/", {"name": "x", "uscc": make_uscc("220102", 4323),
                                                  "region_code": "220102", "beds": 1, "older_people_served": 1},
                        format="json")
    assert response.status_code == 400 and response.json()["code"] == "region_out_of_scope"


def test_staff_create_masks_id_and_person_of_other_region_unknown(api_for, caseworker, institution):
    api = api_for(caseworker)
    person = PersonFactory(region_id="220102")
    response = api.post(f"{BASE}/staff/", {"institution": institution.pk, "person": person.pk, "role": "caregiver",
                                           "full_time": True, "skill_level": "senior", "start_date": "2025-03-01"},
                        format="json")
    assert response.status_code == 201, response.content
    listed = api.get(f"{BASE}/staff/").json()["results"][0]
    assert listed["id_number"] == person.masked_id_number and person.id_number not in str(listed)
    stranger = PersonFactory(region_id="220204")
    refused = api.post(f"{BASE}/staff/", {"institution": institution.pk, "person": stranger.pk, "role": "caregiver",
                                          "start_date": "2025-03-01"}, format="json")
    assert refused.status_code == 400 and "person" in refused.json()["fields"]


def test_claim_refusal_codes_and_four_eyes(api_for, caseworker, supervisor, institution, staff):
    api = api_for(caseworker)
    ok = api.post(f"{BASE}/claims/", {"staff": staff.pk, "kind": "post_subsidy", "claim_date": "2026-03-01",
                                      "months": 6}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    assert ok.status_code == 201 and ok.json()["amount"] == "1800.00"
    assert ok.json()["explanation"]["steps"][-1]["formula"] == "300.00 × 6"
    replay = api.post(f"{BASE}/claims/", {"staff": staff.pk, "kind": "post_subsidy", "claim_date": "2026-03-01",
                                          "months": 6}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    assert replay.json()["id"] == ok.json()["id"] and IncentiveClaim.objects.count() == 1
    services.blacklist_add(user=caseworker, institution=institution, reason="虐待老年人", source="y",
                           listed_on=date(2026, 3, 1))
    refused = api.post(f"{BASE}/claims/", {"staff": staff.pk, "kind": "post_subsidy", "claim_date": "2026-03-01",
                                           "months": 6}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "blacklisted"
    assert "虐待老年人" in refused.json()["fields"]["kind"][0]["message"]
    claim_id = ok.json()["id"]
    assert api.post(f"{BASE}/claims/{claim_id}/approve/", {}, format="json").json()["code"] == "reviewer_required"
    maker = UserFactory(role="supervisor", region_id="220100")
    IncentiveClaim.objects.filter(pk=claim_id).update(submitted_by=maker)
    assert api_for(maker).post(f"{BASE}/claims/{claim_id}/approve/", {}, format="json").json()["code"] == "four_eyes"


def test_claim_bad_values_are_field_errors(api_for, caseworker, staff):
    api = api_for(caseworker)
    for body, field in (({"kind": "nope"}, "kind"), ({"claim_date": "2026-13-01"}, "claim_date"),
                        ({"months": -1}, "months"), ({"kind": "post\x00"}, "kind"), ({"staff": "abc"}, "staff")):
        data = {"staff": staff.pk, "kind": "post_subsidy", "claim_date": "2026-03-01", "months": 1, **body}
        response = api.post(f"{BASE}/claims/", data, format="json")
        assert response.status_code == 400 and field in response.json()["fields"], (body, response.content)


def test_non_numeric_ids_are_404(api_for, caseworker):
    api = api_for(caseworker)
    for path in ("institutions", "staff", "blacklist", "claims"):
        assert api.get(f"{BASE}/{path}/abc/").status_code == 404


def test_blacklist_api_publish_and_publicity(api_for, caseworker, other_caseworker, institution):
    api = api_for(caseworker)
    created = api.post(f"{BASE}/blacklist/", {"institution": institution.pk, "reason": "虐待老年人",
                                              "source": "南民罚〔2026〕3号", "listed_on": "2026-01-10"}, format="json")
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert api.post(f"{BASE}/blacklist/{entry_id}/publish/").status_code == 200
    publicity = api.get(f"{BASE}/blacklist/{entry_id}/publicity/").json()
    assert publicity["published"] and publicity["rows"][0][1] == institution.name
    assert api_for(other_caseworker).get(f"{BASE}/blacklist/{entry_id}/").status_code == 404
    both = api.post(f"{BASE}/blacklist/", {"reason": "x", "source": "y", "listed_on": "2026-01-10"}, format="json")
    assert both.status_code == 400 and both.json()["code"] == "subject_required"


def test_institution_patch_goes_through_the_service(api_for, caseworker, institution):
    response = api_for(caseworker).patch(f"{BASE}/institutions/{institution.pk}/", {"uscc": "123"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_uscc"
    assert Institution.objects.get(pk=institution.pk).uscc == institution.uscc


# the account as typed, what is stored, the error code (None: accepted)
BANK_CASES = [
    ("6228 4800 1234 5678 901", "6228480012345678901", None),
    ("６２２８４８００１２３４５６７８９０１", "6228480012345678901", None),  # full-width digits
    ("", "", None),
    ("6228-4800-1234", None, "bank_account_not_digits"),
    ("6228 480", None, "bank_account_too_short"),
]


@pytest.mark.parametrize("typed, stored, code", BANK_CASES)
def test_institution_bank_details_through_the_api(api_for, caseworker, typed, stored, code):
    """Where the institution's awards are paid: normalised and checked as on the page, answered masked."""
    api = api_for(caseworker)
    response = api.post(f"{BASE}/institutions/", {
        "name": "南关区福寿养老院", "uscc": make_uscc("220102", 4322), "region_code": "220102", "beds": 10,
        "older_people_served": 8, "bank_name": "吉林银行长春南关支行", "bank_account": typed,
        "bank_account_name": "南关区福寿养老院"}, format="json")
    if code:
        assert response.status_code == 400, response.content
        assert response.json()["fields"]["bank_account"][0]["code"] == code
        assert not Institution.objects.exists()
        return
    assert response.status_code == 201, response.content
    institution = Institution.objects.get()
    assert institution.bank_account == stored
    body = api.get(f"{BASE}/institutions/{institution.pk}/").json()
    assert body["bank_account"] == (f"{stored[:4]}{'*' * (len(stored) - 8)}{stored[-4:]}" if stored else "")
    assert body["bank_account_name_matches"] is True
