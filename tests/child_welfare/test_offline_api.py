"""Offline home visits, the API side: the phone's case list, the idempotent sync, the conflict 409 and its
resolution, and scoping (docs/offline-visits.md)."""

from datetime import date, timedelta

import pytest

from apps.child_welfare import services
from apps.child_welfare.models import RiskLevel, Status, Visit
from apps.core.audit import reads_of
from tests.child_welfare.conftest import report
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db
BASE = "/api/v1/child-welfare/cases"
TODAY = date.today()


def cached(api, case_id):
    rows = {row["id"]: row for row in api.get(f"{BASE}/offline/").json()["cases"]}
    return rows[case_id]


def body(row, **extra):
    return {"visited_on": TODAY.isoformat(), "visitors": "儿童主任刘红梅", "child_seen": True,
            "findings": "见到儿童本人，情绪稳定", "services_delivered": "送去冬衣", "case_version": row["case_version"],
            "last_visit_id": row["last_visit_id"], **extra}


def sync(api, case_id, data, key="visit-0001"):
    return api.post(f"{BASE}/{case_id}/offline-visits/", data, format="json", HTTP_IDEMPOTENCY_KEY=key)


# ---------------------------------------------------------------- the phone's copy


def test_offline_cases_are_my_open_cases_with_only_what_the_form_needs(caseworker, unassigned_caseworker, api_for):
    mine = report(caseworker, name="李小明")
    services.visit_record(user=caseworker, case_id=mine.pk, visited_on=TODAY, visitors="王", findings="好")
    closed = report(caseworker, name="赵小红")
    services.case_transition(user=caseworker, case_id=closed.pk, action="close", closure_reason="resolved",
                             reason="困境消除")
    report(caseworker, name="钱小刚", assigned_worker=unassigned_caseworker)  # in my region, not mine
    answer = api_for(caseworker).get(f"{BASE}/offline/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["user"] == caseworker.pk and data["generated_at"]
    assert [row["id"] for row in data["cases"]] == [mine.pk]
    row = data["cases"][0]
    assert set(row) == {"id", "reference", "child_name", "child_id_number", "next_visit_due", "case_version",
                        "last_visit_id"}
    mine.refresh_from_db()
    assert row["child_id_number"] == mine.masked_child_id_number and "*" in row["child_id_number"]
    assert row["child_id_number"] != mine.child.id_number
    assert row["last_visit_id"] == Visit.objects.get(case=mine).pk and row["case_version"] == mine.version
    assert reads_of("child_welfare.case", mine.pk).filter(user=caseworker).exists()  # a read of children's data


def test_offline_cases_query_count_does_not_grow_with_the_caseload(caseworker, api_for):
    api = api_for(caseworker)

    def add(n):
        for _ in range(n):
            case = report(caseworker)
            services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY, visitors="王", findings="好")

    answer = assert_queries_constant(lambda: api.get(f"{BASE}/offline/"), add)
    assert len(answer.json()["cases"]) == 12


def test_other_region_and_a_supervisor_get_only_their_own_assignments(other_caseworker, supervisor, caseworker,
                                                                      api_for):
    report(caseworker)
    assert api_for(other_caseworker).get(f"{BASE}/offline/").json()["cases"] == []
    assert api_for(supervisor).get(f"{BASE}/offline/").json()["cases"] == []  # sees the region, carries none


# ---------------------------------------------------------------- the sync


def test_sync_records_the_visit_through_the_visit_service_and_a_retry_records_once(caseworker, api_for):
    case = report(caseworker, risk=RiskLevel.HIGH)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    first = sync(api, case.pk, body(row))
    assert first.status_code == 201, first.json()
    again = sync(api, case.pk, body(row))  # the answer was lost on a bad line: the phone sends it again
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    visit = Visit.objects.get(case=case)
    assert visit.findings == "见到儿童本人，情绪稳定" and visit.recorded_by == caseworker
    case.refresh_from_db()
    assert case.last_visit_on == TODAY  # the monitoring clock reset, as visit_record does
    assert first.json()["case"] == {"id": case.pk, "case_version": case.version, "last_visit_id": visit.pk,
                                    "next_visit_due": case.next_visit_due.isoformat()}


def test_a_second_queued_visit_with_its_own_key_after_rebasing_is_recorded(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    synced = sync(api, case.pk, body(row), key="k1").json()["case"]
    second = sync(api, case.pk, body(synced, child_seen=False, findings="孩子上学未见到"), key="k2")
    assert second.status_code == 201 and Visit.objects.filter(case=case).count() == 2


def test_the_same_key_with_another_body_is_refused(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    assert sync(api, case.pk, body(row)).status_code == 201
    reused = sync(api, case.pk, body(row, findings="另一次"))
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert Visit.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"visited_on": (TODAY + timedelta(days=1)).isoformat()}, "visited_on", "visit_in_future"),
    ({"visitors": ""}, "visitors", "blank"),
    ({"findings": ""}, "findings", "blank"),
    ({"visited_on": "2026-02-30"}, "visited_on", "invalid"),
])
def test_field_errors_come_back_on_the_field_and_the_key_stays_free(caseworker, api_for, change, field, code):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    refused = sync(api, case.pk, body(row, **change))
    assert refused.status_code == 400
    assert refused.json()["fields"][field][0]["code"] == code
    assert not Visit.objects.filter(case=case).exists()
    assert sync(api, case.pk, body(row)).status_code == 201  # corrected, the same key works


def test_visit_on_today_is_accepted_and_tomorrow_is_not(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    assert sync(api, case.pk, body(row, visited_on=(TODAY + timedelta(days=1)).isoformat())).status_code == 400
    assert sync(api, case.pk, body(row, visited_on=TODAY.isoformat())).status_code == 201


# ---------------------------------------------------------------- conflicts


def conflict_of(answer):
    assert answer.status_code == 409, answer.json()
    data = answer.json()
    assert data["code"] == "offline_visit_conflict"
    return data["data"]


def test_another_visit_recorded_meanwhile_is_a_conflict_with_both_sides(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    other = services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY - timedelta(days=1),
                                  visitors="王经办", findings="电话回访后入户", child_seen=False)
    data = conflict_of(sync(api, case.pk, body(row)))
    assert data["reasons"] == ["visit_recorded"]  # a visit without the child does not bump the version
    assert data["server"]["last_visit_id"] == other.pk
    assert data["server"]["visits_since"] == [{"visited_on": other.visited_on.isoformat(),
                                               "recorded_by": str(caseworker), "child_seen": False}]
    assert Visit.objects.filter(case=case).count() == 1


def test_closed_meanwhile_is_a_conflict_and_submitting_anyway_keeps_the_note(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    services.case_transition(user=caseworker, case_id=case.pk, action="close", closure_reason="resolved",
                             reason="困境消除")
    data = conflict_of(sync(api, case.pk, body(row)))
    assert "case_closed" in data["reasons"] and data["server"]["status"] == "已结案"
    assert any("已结案" in change for change in data["changes"])
    no_note = sync(api, case.pk, body(row, case_version=data["server"]["case_version"],
                                      last_visit_id=data["server"]["last_visit_id"], acknowledged=data["reasons"]))
    assert no_note.status_code == 400 and no_note.json()["code"] == "resolution_note_required"
    anyway = sync(api, case.pk, body(row, case_version=data["server"]["case_version"],
                                     last_visit_id=data["server"]["last_visit_id"], acknowledged=data["reasons"],
                                     resolution_note="结案前已约定的最后一次入户"))
    assert anyway.status_code == 201, anyway.json()
    visit = Visit.objects.get(case=case)
    assert visit.findings.startswith("见到儿童本人，情绪稳定")
    assert "个案已结案" in visit.findings and "结案前已约定的最后一次入户" in visit.findings


def test_risk_change_and_director_change_are_named(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    services.case_set_risk(user=caseworker, case_id=case.pk, expected_version=case.version,
                           risk_level=RiskLevel.HIGH, reason="发现受侵害线索")
    data = conflict_of(sync(api, case.pk, body(row)))
    assert data["reasons"] == ["risk_changed"] and "风险等级：中风险 → 高风险" in data["changes"]


def test_an_edit_meanwhile_is_a_generic_change(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    services.case_update(user=caseworker, case_id=case.pk, expected_version=case.version, data={"address": "新住址"})
    assert conflict_of(sync(api, case.pk, body(row)))["reasons"] == ["case_changed"]


def test_a_supervisor_sees_a_reassignment_as_a_conflict(caseworker, unassigned_caseworker, supervisor, api_for):
    case = report(supervisor, assigned_worker=caseworker)
    api = api_for(supervisor)
    row = {"case_version": case.version, "last_visit_id": None}
    services.case_update(user=supervisor, case_id=case.pk, expected_version=case.version,
                         data={"assigned_worker": unassigned_caseworker})
    data = conflict_of(sync(api, case.pk, body(row)))
    assert data["reasons"] == ["case_reassigned"]
    assert any("责任经办人" in change for change in data["changes"])


def test_a_second_change_after_the_conflict_is_a_second_conflict(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY, visitors="王", findings="一")
    server = conflict_of(sync(api, case.pk, body(row)))["server"]
    services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY, visitors="王", findings="二")
    again = sync(api, case.pk, body(row, case_version=server["case_version"], last_visit_id=server["last_visit_id"],
                                    acknowledged=["visit_recorded"], resolution_note="分别入户"))
    assert again.status_code == 409


def test_an_unknown_reason_is_refused(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    refused = sync(api, case.pk, body(cached(api, case.pk), acknowledged=["drop_table"], resolution_note="x"))
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_conflict_reason"


# ---------------------------------------------------------------- scoping


def test_reassigned_away_from_me_is_404_not_a_conflict(caseworker, unassigned_caseworker, supervisor, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    row = cached(api, case.pk)
    services.case_update(user=supervisor, case_id=case.pk, expected_version=case.version,
                         data={"assigned_worker": unassigned_caseworker})
    gone = sync(api, case.pk, body(row))
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["other_caseworker", "unassigned_caseworker"])
def test_a_case_not_mine_or_out_of_region_is_404_whatever_the_body(request, caseworker, api_for, who):
    case = report(caseworker)
    intruder = request.getfixturevalue(who)
    api = api_for(intruder)
    for data in ({"case_version": case.version, "last_visit_id": None, "visited_on": TODAY.isoformat(),
                  "visitors": "x", "findings": "x"}, {}, {"case_version": "abc"}):
        answer = sync(api, case.pk, data)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert not Visit.objects.exists()


@pytest.mark.parametrize("path_id", ["abc", "1.5", "-1", "0x1", "%20", "99999999999999999999"])
def test_non_numeric_or_unknown_ids_are_404(caseworker, api_for, path_id):
    answer = api_for(caseworker).post(f"{BASE}/{path_id}/offline-visits/", {}, format="json")
    assert answer.status_code == 404


def test_integration_accounts_and_anonymous_callers_are_refused(integration_client, api_for, client, caseworker):
    case = report(caseworker)
    assert api_for(integration_client).get(f"{BASE}/offline/").status_code == 403
    assert api_for(integration_client).post(f"{BASE}/{case.pk}/offline-visits/", {}, format="json").status_code == 403
    assert client.get(f"{BASE}/offline/").status_code in (401, 403)


def test_bad_version_values_are_field_errors(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    for value in ("abc", 0, -1, 2**31, None):
        answer = sync(api, case.pk, body(cached(api, case.pk), case_version=value))
        assert answer.status_code == 400 and "case_version" in answer.json()["fields"], value


def test_status_after_sync_is_unchanged(caseworker, api_for):
    case = report(caseworker)
    api = api_for(caseworker)
    assert sync(api, case.pk, body(cached(api, case.pk))).status_code == 201
    case.refresh_from_db()
    assert case.status == Status.REPORTED
