"""The API faces: report, edit, assessments, plans, visits, referrals, lifecycle actions."""

from datetime import date

import pytest

from apps.child_welfare.models import Case, Domain, Escalation
from tests.child_welfare.conftest import child_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/child-welfare"


def test_full_flow_through_the_api(caseworker, api_for):
    api = api_for(caseworker)
    created = api.post(f"{BASE}/cases/", {
        "child_id_number": child_id(), "child_name": "周小雨", "region_code": "220102", "referral_source": "police",
        "risk_level": "high", "risk_reason": "邻居报告多次哭喊",
        "categories": [{"category": "at_risk_of_harm", "since": "2026-10-01"}],
        "guardians": [{"name": "周某", "relationship": "父亲", "situation": "imprisoned"}]}, format="json")
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["status"] == "reported" and case["available_actions"] == ["verify", "close"]
    url = f"{BASE}/cases/{case['id']}/"
    refused = api.post(f"{url}transitions/", {"action": "verify"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "verification_incomplete"
    edited = api.patch(url, {"version": case["version"], "identity_verified": True, "documents_verified": True},
                       format="json").json()
    assert api.post(f"{url}transitions/", {"action": "verify", "version": edited["version"]},
                    format="json").json()["status"] == "verified"
    assessment = api.post(f"{BASE}/assessments/", {
        "case": case["id"], "assessed_on": "2026-11-01", "summary": "安全风险高",
        "domains": [{"domain": d, "severity": "high" if d == "safety" else "low", "needs": "…"}
                    for d in Domain.values]}, format="json")
    assert assessment.status_code == 201 and len(assessment.json()["domains"]) == 6
    assert api.post(f"{url}transitions/", {"action": "assess"}, format="json").json()["status"] == "assessed"
    plan = api.post(f"{BASE}/plans/", {"case": case["id"], "domain": "safety", "goal": "脱离侵害环境",
                                       "service": "临时监护", "responsible_type": "department",
                                       "responsible_name": "民政局", "due_date": "2026-12-31"}, format="json")
    assert plan.status_code == 201
    assert api.patch(f"{BASE}/plans/{plan.json()['id']}/", {"status": "in_progress"},
                     format="json").json()["status"] == "in_progress"
    for action in ("plan", "start_service"):
        assert api.post(f"{url}transitions/", {"action": action}, format="json").status_code == 200
    visit = api.post(f"{BASE}/visits/", {"case": case["id"], "visited_on": date.today().isoformat(),
                                         "visitors": "王经办、儿童主任", "child_seen": True, "findings": "情绪稳定"},
                     format="json")
    assert visit.status_code == 201
    referral = api.post(f"{BASE}/referrals/", {"case": case["id"], "target_type": "police", "target_name": "南关分局",
                                               "domain": "safety", "request": "核查侵害线索"}, format="json")
    assert referral.status_code == 201 and referral.json()["status"] == "sent"
    answered = api.post(f"{BASE}/referrals/{referral.json()['id']}/respond/",
                        {"status": "accepted", "response": "已立案调查"}, format="json")
    assert answered.json()["status"] == "accepted" and answered.json()["responded_on"]
    risk = api.post(f"{url}risk/", {"risk_level": "medium", "reason": "已脱离侵害环境",
                                    "version": api.get(url).json()["version"]}, format="json")
    assert risk.status_code == 200 and risk.json()["risk_changes"][-1]["reason"] == "已脱离侵害环境"
    for action in ("review",):
        api.post(f"{url}transitions/", {"action": action}, format="json")
    closed = api.post(f"{url}transitions/", {"action": "close", "closure_reason": "resolved", "reason": "困境消除"},
                      format="json").json()
    assert closed["status"] == "closed"
    history = api.get(f"{url}transitions/").json()
    assert [t["action"] for t in history] == ["report", "verify", "assess", "plan", "start_service", "review",
                                              "close"]
    for path in ("assessments", "plans", "visits", "referrals"):
        listing = api.get(f"{BASE}/{path}/?case={case['id']}")
        assert listing.status_code == 200 and listing.json()["count"] >= 1


def test_api_validation_errors_use_the_house_shape(caseworker, api_for):
    response = api_for(caseworker).post(f"{BASE}/cases/", {"child_name": "x"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"code", "detail", "fields"}
    out_of_region = api_for(caseworker).post(f"{BASE}/cases/", {
        "child_id_number": child_id("220204"), "child_name": "x", "region_code": "220204",
        "referral_source": "school"}, format="json")
    assert out_of_region.status_code == 400 and out_of_region.json()["code"] == "region_out_of_scope"
    assert not Case.objects.exists() and not Escalation.objects.exists()


def test_caseworker_may_not_reassign(caseworker, unassigned_caseworker, case, api_for, supervisor):
    url = f"{BASE}/cases/{case.pk}/"
    refused = api_for(caseworker).patch(url, {"version": case.version, "assigned_worker": unassigned_caseworker.pk},
                                        format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "assign_forbidden"
    moved = api_for(supervisor).patch(url, {"version": case.version, "assigned_worker": unassigned_caseworker.pk},
                                      format="json")
    assert moved.status_code == 200
    assert api_for(caseworker).get(url).status_code == 404
    assert api_for(unassigned_caseworker).get(url).status_code == 200
