"""/api/v1/fraud/cases/: list (masked), idempotent create with field-level 400s, detail, transitions, scope (404)."""


import pytest

from apps.applicants.models import StatusTag
from apps.fraud.models import FraudCase
from tests.factories import PersonFactory, UserFactory
from tests.fraud.conftest import move

URL = "/api/v1/fraud/cases/"


def create_body(who, **overrides):
    return {"person": who.pk, "reported_on": "2026-11-20", "hospital": "长春市某医院", "amount_billed": "8600.00",
            "description": "工伤住院", **overrides}


def test_create_list_detail(api_for, caseworker, person):
    api = api_for(caseworker)
    response = api.post(URL, create_body(person), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "opened" and body["amount_billed"] == "8600.00" and body["finding"] is None
    assert body["available_actions"] == ["investigate", "dismiss"]
    again = api.post(URL, create_body(person), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"] and FraudCase.objects.count() == 1
    listed = api.get(URL).json()["results"]
    assert [c["id"] for c in listed] == [body["id"]]
    assert "*" in listed[0]["person_id_number"] and listed[0]["person_id_number"] != person.id_number
    # The detail masks as well; the person's record (/api/v1/applicants/{id}/) has the number in full.
    assert api.get(f"{URL}{body['id']}/").json()["person_id_number"] == listed[0]["person_id_number"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"amount_billed": "-1"}, "amount_billed"),
    ({"amount_billed": "abc"}, "amount_billed"),
    ({"reported_on": "2026-13-01"}, "reported_on"),
    ({"hospital": ""}, "hospital"),
    ({"kind": "other"}, "kind"),
    ({"person": 999999}, "person"),
    ({"person": "x"}, "person"),
])
def test_create_field_errors(api_for, caseworker, person, overrides, field):
    response = api_for(caseworker).post(URL, create_body(person, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_create_for_a_person_of_another_region_is_refused_like_an_unknown_one(api_for, other_caseworker, person):
    response = api_for(other_caseworker).post(URL, create_body(person), format="json")
    assert response.status_code == 400 and "person" in response.json()["fields"]


def test_out_of_scope_and_bad_ids_are_404(api_for, other_caseworker, open_case):
    case = open_case()
    api = api_for(other_caseworker)
    assert api.get(URL).json()["results"] == []
    assert api.get(f"{URL}{case.pk}/").status_code == 404
    assert api.post(f"{URL}{case.pk}/transition/", {"action": "bogus"}, format="json").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404
    assert api.get(f"{URL}999999/").status_code == 404


def test_transitions_through_the_api(api_for, caseworker, supervisor, open_case):
    case = open_case()
    cw, sup = api_for(caseworker), api_for(supervisor)
    url = f"{URL}{case.pk}/transition/"
    assert cw.post(url, {"action": "investigate"}, format="json").status_code == 200
    bad = cw.post(url, {"action": "find", "misused_amount": "9000.00", "facts_summary": "事实"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_amount" and "misused_amount" in bad.json()["fields"]
    found = cw.post(url, {"action": "find", "misused_amount": "8600.00", "facts_summary": "事实"}, format="json")
    assert found.status_code == 200 and found.json()["finding"]["fine_amount"] == "21500.00"
    assert found.json()["finding"]["fingerprint"]
    assert cw.post(url, {"action": "approve"}, format="json").json()["code"] == "reviewer_required"
    assert sup.post(url, {"action": "return"}, format="json").json()["fields"] == {
        "note": [{"code": "reason_required", "message": "请填写原因"}]}
    wrong_state = sup.post(url, {"action": "revoke", "note": "x"}, format="json")
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "transition_not_allowed"
    approved = sup.post(url, {"action": "approve", "note": "事实清楚"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "effective"
    assert StatusTag.objects.filter(person=case.person, tag=StatusTag.Tag.DIRECT_SETTLEMENT_SUSPENDED).exists()
    unknown = cw.post(url, {"action": "bogus"}, format="json")
    assert unknown.status_code == 400 and "action" in unknown.json()["fields"]


def test_four_eyes_through_the_api(api_for, supervisor, person):
    api = api_for(supervisor)
    case = api.post(URL, create_body(person), format="json", HTTP_IDEMPOTENCY_KEY="k-2").json()
    url = f"{URL}{case['id']}/transition/"
    api.post(url, {"action": "investigate"}, format="json")
    api.post(url, {"action": "find", "misused_amount": "1.00", "facts_summary": "事实"}, format="json")
    refused = api.post(url, {"action": "approve"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "four_eyes"


def test_integration_client_and_filters(api_for, integration_client, caseworker, open_case, person):
    open_case()
    case = move(open_case("10.00"), "investigate", caseworker)
    api = api_for(caseworker)
    assert [c["id"] for c in api.get(f"{URL}?status=investigating").json()["results"]] == [case.pk]
    assert api.get(f"{URL}?status=nope").status_code == 400
    assert api.get(f"{URL}?reported_from=x").status_code == 400
    assert len(api.get(f"{URL}?q={person.id_number}").json()["results"]) == 2
    assert api.get(f"{URL}?ordering=amount_billed").json()["results"][0]["id"] == case.pk
    elsewhere = UserFactory(username="api_other", role="integration", region_id="220204")
    assert api_for(elsewhere).get(URL).json()["results"] == []
    PersonFactory(region_id="220204")
