"""API: filters, scoping (404 outside the region), masked lists, access log, import errors, claim workflow."""

from datetime import date

import pytest

from apps.childcare.models import Enrollment, OperatingSubsidyClaim
from apps.core.demo import make_id_number, make_uscc
from apps.core.models import AccessLog
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, publicized

pytestmark = pytest.mark.django_db
BASE = "/api/v1/childcare"


def test_institutions_are_filtered_and_scoped(api_for, caseworker, django_assert_max_num_queries):
    mine = InstitutionFactory(region_id="220102", category="public_partial_funded", community_embedded=True)
    InstitutionFactory(region_id="220102", category="private_inclusive")
    other = InstitutionFactory(region_id="220204")
    api = api_for(caseworker)
    with django_assert_max_num_queries(3):
        body = api.get(f"{BASE}/institutions/").json()
    assert {row["id"] for row in body["results"]} == {mine.pk, mine.pk + 1}
    assert [r["id"] for r in api.get(f"{BASE}/institutions/?category=public_partial_funded").json()["results"]] == [
        mine.pk]
    assert [r["id"] for r in api.get(f"{BASE}/institutions/?pilot=community_embedded").json()["results"]] == [mine.pk]
    response = api.get(f"{BASE}/institutions/{other.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_create_institution_validates_and_refuses_other_regions(api_for, caseworker):
    api = api_for(caseworker)
    payload = {"name": "API托育园", "uscc": make_uscc("220102", 777, "52"), "category": "private_inclusive",
               "region_code": "220102", "inclusive_certified_from": "2025-01-01", "places_toddler": 12}
    response = api.post(f"{BASE}/institutions/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["total_places"] == 12
    response = api.post(f"{BASE}/institutions/", {**payload, "uscc": make_uscc("220204", 778, "52"),
                                                  "region_code": "220204"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "region_out_of_scope"
    response = api.post(f"{BASE}/institutions/", {**payload, "uscc": make_uscc("220102", 779, "52"),
                                                  "category": "other"}, format="json")
    assert response.status_code == 400 and "category" in response.json()["fields"]


def test_enrollment_create_list_detail_and_leave(api_for, caseworker):
    place = InstitutionFactory(region_id="220102")
    api = api_for(caseworker)
    number = make_id_number("220102", date(2024, 4, 1), 5, True)
    response = api.post(f"{BASE}/enrollments/", {
        "institution": place.pk, "child_id_number": number, "child_name": "陈小满", "age_group": "toddler",
        "start_date": "2025-02-01", "guardians": [{"id_number": make_id_number("220102", date(1993, 1, 1), 6, True),
                                                   "name": "陈妈妈", "relationship": "mother"}]}, format="json")
    assert response.status_code == 201, response.json()
    enrollment_id = response.json()["id"]
    listed = api.get(f"{BASE}/enrollments/?institution={place.pk}").json()["results"]
    assert listed[0]["child_id_number"] != number and listed[0]["child_id_number"].endswith(number[-4:])
    detail = api.get(f"{BASE}/enrollments/{enrollment_id}/").json()
    assert detail["child_id_number"] == number and detail["guardians"][0]["relationship"] == "mother"
    assert AccessLog.objects.filter(action="api", object_type="applicants.person").count() == 1
    # the same child elsewhere at the same time: refused with the API error shape
    response = api.post(f"{BASE}/enrollments/", {"institution": InstitutionFactory(region_id="220102").pk,
                                                "child_id_number": number, "child_name": "陈小满",
                                                "age_group": "toddler", "start_date": "2025-03-01"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "enrollment_overlap"
    response = api.post(f"{BASE}/enrollments/{enrollment_id}/leave/", {"end_date": "2025-06-15"}, format="json")
    assert response.json()["end_date"] == "2025-06-15"


def test_enrollment_of_another_region_is_404(api_for, caseworker):
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220204"))
    assert api_for(caseworker).get(f"{BASE}/enrollments/{enrollment.pk}/").status_code == 404
    response = api_for(caseworker).post(f"{BASE}/enrollments/", {
        "institution": enrollment.institution_id, "child_id_number": enrollment.child.id_number, "child_name": "x",
        "age_group": "toddler", "start_date": "2025-01-01"}, format="json")
    assert response.status_code == 404
    assert Enrollment.objects.count() == 1


def test_attendance_import_endpoint_reports_rows(api_for, caseworker):
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))
    api = api_for(caseworker)
    good = f"id_number,institution_uscc,month,days_present\n{enrollment.child.id_number},{enrollment.institution.uscc},2025-03,18\n"
    response = api.post(f"{BASE}/attendance/import/", {"file": _named("a.csv", good)},
                        format="multipart")
    assert response.status_code == 200 and response.json()["created"] == 1
    bad = good.replace("2025-03,18", "2025-13,18")
    response = api.post(f"{BASE}/attendance/import/", {"file": _named("b.csv", bad)}, format="multipart")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "import_invalid"
    assert body["errors"] == [{"line": 2, "column": "month", "value": "2025-13",
                               "reason": "月份：格式应为 YYYY-MM，例如 2025-03"}]
    assert body["errors_url"].endswith(f"/imports/{body['batch']}/errors.csv")
    # Re-sending the good file changes nothing.
    response = api.post(f"{BASE}/attendance/import/", {"file": _named("a.csv", good)}, format="multipart")
    assert response.status_code == 200 and (response.json()["created"], response.json()["unchanged"]) == (0, 1)
    listed = api.get(f"{BASE}/attendance/?month=2025-03").json()["results"]
    assert listed == [{"id": listed[0]["id"], "enrollment": enrollment.pk, "month": "2025-03", "days_present": 18}]


def _named(name, text=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, (text or "").encode())


def test_claim_workflow_and_export(api_for, caseworker, supervisor, other_caseworker):
    place = InstitutionFactory(region_id="220102", name="接口托育园")
    EnrollmentFactory(institution=place, start_date=date(2025, 7, 1))
    worker, boss = api_for(caseworker), api_for(supervisor)
    claim = worker.post(f"{BASE}/claims/compute/", {"institution": place.pk, "year": 2025}, format="json").json()
    assert claim["amount"] == "1800.00" and claim["explanation"][0]["calculator"] == "childcare-operating-subsidy"
    assert api_for(other_caseworker).get(f"{BASE}/claims/{claim['id']}/").status_code == 404
    assert worker.post(f"{BASE}/claims/{claim['id']}/submit/").json()["status"] == "submitted"
    response = worker.post(f"{BASE}/claims/{claim['id']}/publish/")  # 初审 is a reviewer's
    assert response.status_code == 403 and response.json()["code"] == "reviewer_required"
    response = boss.post(f"{BASE}/claims/{claim['id']}/return/", {"comment": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "comment_required"
    # 初审 → 公示 (another reviewer, the window passed) → 复核 by the supervisor
    publicized(OperatingSubsidyClaim.objects.get(pk=claim["id"]))
    assert boss.post(f"{BASE}/claims/{claim['id']}/approve/", {"comment": "同意"}, format="json").json()[
        "status"] == "approved"
    response = worker.post(f"{BASE}/claims/compute/", {"institution": place.pk, "year": 2025}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "claim_frozen"
    assert [c["id"] for c in boss.get(f"{BASE}/claims/?year=2025&status=approved").json()["results"]] == [claim["id"]]
    export = boss.get(f"{BASE}/claims/export/?year=2025&export_format=csv")
    assert "接口托育园" in export.content.decode("utf-8-sig")


def test_claim_run_via_api(api_for, supervisor, django_capture_on_commit_callbacks):
    EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))
    EnrollmentFactory(institution=InstitutionFactory(region_id="220204"), start_date=date(2025, 1, 1))
    api = api_for(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        run = api.post(f"{BASE}/claim-runs/", {"year": 2025}, format="json").json()
    progress = api.get(f"{BASE}/claim-runs/{run['id']}/").json()
    assert (progress["status"], progress["total"], progress["computed"]) == ("done", 1, 1)  # 长春市 only
    assert OperatingSubsidyClaim.objects.get().institution.region_id == "220102"
