"""Reads of personal data that left no access-log row (issue 13, hole 6): the admin's change and history
pages of people and childcare enrolments, the API lists of a child's visits, assessments and plans, the
变更记录 page and the import error report."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.child_welfare.models import Assessment, PlanItem, Visit
from apps.core.audit import reads_of
from apps.core.models import AccessLog
from apps.imports.models import ImportBatch
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import PersonFactory
from tests.imports.helpers import EMPLOYER_HEADER, bad_check_digit, employer_row, uscc

pytestmark = pytest.mark.django_db


def logged(obj, user, action=None) -> int:
    """The reads of one record: its own entries and the list pages that showed it (one entry per list)."""
    logs = reads_of(obj._meta.label_lower, obj.pk).filter(user=user)
    return logs.filter(action=action).count() if action else logs.count()


@pytest.fixture
def admin_user(province_admin):
    province_admin.is_superuser = True
    province_admin.save()
    return province_admin


def test_admin_change_and_history_pages_of_a_person_are_logged(client_for, admin_user):
    person = PersonFactory(region_id="220102")
    web = client_for(admin_user)
    assert web.get(reverse("admin:applicants_person_change", args=[person.pk])).status_code == 200
    assert logged(person, admin_user, AccessLog.Action.VIEW) == 1
    assert web.get(reverse("admin:applicants_person_history", args=[person.pk])).status_code == 200
    assert logged(person, admin_user) == 2


def test_admin_change_and_history_pages_of_a_childcare_enrollment_are_logged(client_for, admin_user):
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"))
    web = client_for(admin_user)
    assert web.get(reverse("admin:childcare_enrollment_change", args=[enrollment.pk])).status_code == 200
    assert web.get(reverse("admin:childcare_enrollment_history", args=[enrollment.pk])).status_code == 200
    assert logged(enrollment, admin_user) == 2


def test_admin_list_and_a_missing_record_log_nothing(client_for, admin_user):
    PersonFactory(region_id="220102")
    web = client_for(admin_user)
    web.get(reverse("admin:applicants_person_changelist"))
    web.get(reverse("admin:applicants_person_change", args=[999_999]))
    assert not AccessLog.objects.exists()


def _child_records(api):
    from tests.child_welfare.conftest import child_id

    case = api.post("/api/v1/child-welfare/cases/", {
        "child_id_number": child_id(), "child_name": "周小雨", "region_code": "220102", "referral_source": "police",
        "risk_level": "high", "risk_reason": "邻居报告"}, format="json").json()
    api.post("/api/v1/child-welfare/visits/", {"case": case["id"], "visited_on": date.today().isoformat(),
                                               "visitors": "王经办", "child_seen": True, "findings": "情绪稳定"},
             format="json")
    api.post("/api/v1/child-welfare/plans/", {"case": case["id"], "domain": "safety", "goal": "脱离侵害环境",
                                              "service": "临时监护", "responsible_type": "department",
                                              "responsible_name": "民政局", "due_date": "2026-12-31"},
             format="json")
    api.post("/api/v1/child-welfare/assessments/", {
        "case": case["id"], "assessed_on": "2026-11-01", "summary": "安全风险高",
        "domains": [{"domain": "safety", "severity": "high", "needs": "…"}]}, format="json")
    return case


@pytest.mark.parametrize(("path", "model"), [("visits", Visit), ("assessments", Assessment), ("plans", PlanItem)])
def test_child_welfare_record_lists_are_logged(api_for, caseworker, path, model):
    api = api_for(caseworker)
    _child_records(api)
    record = model.objects.get()
    before = logged(record, caseworker, AccessLog.Action.API)
    assert api.get(f"/api/v1/child-welfare/{path}/").json()["count"] == 1
    assert logged(record, caseworker, AccessLog.Action.API) == before + 1


def test_the_history_page_is_a_logged_read(client_for, supervisor):
    person = PersonFactory(region_id="220102")
    assert client_for(supervisor).get(reverse("history", args=["applicants", "person", person.pk])).status_code == 200
    assert logged(person, supervisor, AccessLog.Action.VIEW) == 1


def test_the_import_error_report_is_a_logged_export(client_for, caseworker):
    bad = "\n".join([EMPLOYER_HEADER, employer_row(1), f"{bad_check_digit(uscc(2))},x,enterprise,industry,,,,220102,0"])
    web = client_for(caseworker)
    web.post(reverse("imports:upload"), {"kind": "employers",
                                         "file": SimpleUploadedFile("e.csv", bad.encode(), content_type="text/csv")})
    batch = ImportBatch.objects.get()
    for fmt in ("csv", "xlsx"):
        response = web.get(reverse("imports:errors", args=[batch.pk, fmt]))
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    assert logged(batch, caseworker, AccessLog.Action.EXPORT) == 2
