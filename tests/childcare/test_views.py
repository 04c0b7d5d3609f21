"""Caseworker UI: scoping (404 outside the region), masked lists with fixed query counts, access log, flows."""

from datetime import date

import pytest
from django.urls import reverse

from apps.childcare.models import Enrollment, Institution, OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.models import AccessLog
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.conftest import login_verified
from tests.factories import UserFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


@pytest.fixture
def jilin_institution():
    return InstitutionFactory(region_id="220204", name="吉林市船营区测试托育园")


def test_caseworker_of_220102_gets_404_for_a_jilin_city_institution(client_for, caseworker, jilin_institution):
    enrollment = EnrollmentFactory(institution=jilin_institution)
    claim = claims.claim_compute(institution=jilin_institution, year=2025, user=caseworker)
    client = client_for(caseworker)
    for name, pk in [("institution-detail", jilin_institution.pk), ("institution-update", jilin_institution.pk),
                     ("enrollment-detail", enrollment.pk), ("claim-detail", claim.pk), ("enrollment-create",
                                                                                       jilin_institution.pk)]:
        assert client.get(reverse(f"childcare:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("childcare:claim-action", args=[claim.pk, "submit"])).status_code == 404
    assert jilin_institution.name not in client.get(reverse("childcare:institution-list")).content.decode()
    assert client.get(reverse("history", args=["childcare", "institution", jilin_institution.pk])).status_code in (403,
                                                                                                                 404)


def test_lists_mask_id_numbers_and_use_a_fixed_number_of_queries(client_for, caseworker, django_assert_num_queries):
    client = client_for(caseworker)
    places: list = []
    enrollments: list = []
    # session, user, user's region (top bar), count, page, the user's saved filters, one GROUP BY per facet
    # (status, category) — the same for 3 institutions and for 9
    response = assert_queries_constant(
        lambda: client.get(reverse("childcare:institution-list")),
        lambda n: places.extend(InstitutionFactory(region_id="220102") for _ in range(n)), n=3, exactly=8)
    assert response.status_code == 200
    response = assert_queries_constant(
        lambda: client.get(reverse("childcare:enrollment-list")),
        lambda n: enrollments.extend(EnrollmentFactory(institution=places[i % 3]) for i in range(n)), n=2, exactly=5)
    html = response.content.decode()
    assert enrollments[0].child.id_number not in html
    assert enrollments[0].child.id_number[-4:] in html
    for institution in places:
        claims.claim_compute(institution=institution, year=2025, user=caseworker)
    with django_assert_num_queries(8):  # + the recent batch runs, the saved filters, the status facet (one GROUP BY)
        assert client.get(reverse("childcare:claim-list")).status_code == 200
    assert AccessLog.objects.count() == 0  # lists are not reads of one child's record


def test_child_record_shows_full_id_and_is_access_logged(client_for, caseworker):
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"))
    response = client_for(caseworker).get(reverse("childcare:enrollment-detail", args=[enrollment.pk]))
    assert enrollment.child.id_number in response.content.decode()
    assert "国家育儿补贴" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.object_type, log.object_id) == (caseworker, "applicants.person", str(enrollment.child_id))


def test_register_institution_enrol_and_compute_through_the_ui(client_for, caseworker):
    from apps.core.demo import make_id_number, make_uscc

    client = client_for(caseworker)
    response = client.post(reverse("childcare:institution-create"), {
        "name": "南关区新星托育园", "uscc": make_uscc("220102", 4242, "52"), "category": "private_inclusive",
        "region": "220102", "inclusive_certificate_number": "吉普惠托〔2025〕9号",
        "inclusive_certified_from": "2025-01-01", "places_infant": 5, "places_toddler": 10, "places_preschool": 10,
        "status": "operating", "community_embedded": "on"})
    institution = Institution.objects.get(name="南关区新星托育园")
    assert response.status_code == 302 and institution.community_embedded
    number = make_id_number("220102", date(2024, 1, 5), 3, False)
    response = client.post(reverse("childcare:enrollment-create", args=[institution.pk]), {
        "child_id_number": number, "child_name": "刘小宝", "age_group": "toddler", "start_date": "2025-01-01"})
    assert response.status_code == 302
    response = client.post(reverse("childcare:claim-compute", args=[institution.pk]), {"year": 2025})
    claim = OperatingSubsidyClaim.objects.get(institution=institution)
    assert response.url == reverse("childcare:claim-detail", args=[claim.pk])
    assert str(claim.amount) == "3600.00"
    page = client.get(response.url).content.decode()
    assert "3,600.00" in page and "计算说明" in page


def test_institution_form_errors_come_back_in_chinese(client_for, caseworker):
    response = client_for(caseworker).post(reverse("childcare:institution-create"), {
        "name": "x", "uscc": "123", "category": "other", "region": "220204", "status": "operating",
        "places_infant": 0, "places_toddler": 0, "places_preschool": 0})
    assert response.status_code == 200
    form = response.context["form"]
    assert "region" in form.errors  # another region is not a choice
    assert "uscc" in form.errors


def test_overlapping_enrollment_is_refused_in_the_ui(client_for, caseworker):
    existing = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))
    other = InstitutionFactory(region_id="220102")
    response = client_for(caseworker).post(reverse("childcare:enrollment-create", args=[other.pk]), {
        "child_id_number": existing.child.id_number, "child_name": existing.child.name, "age_group": "toddler",
        "start_date": "2025-03-01"})
    assert response.status_code == 200
    assert "只能在一家机构在托" in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_approve_and_export_in_the_ui(client, caseworker, supervisor):
    institution = InstitutionFactory(region_id="220102", name="导出测试托育园")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_submit(claim=claims.claim_compute(institution=institution, year=2025, user=caseworker),
                                user=caseworker)
    client.force_login(caseworker)
    client.post(reverse("childcare:claim-action", args=[claim.pk, "approve"]))
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.SUBMITTED  # a caseworker cannot approve
    login_verified(client, supervisor)
    client.post(reverse("childcare:claim-action", args=[claim.pk, "publish"]), {"comment": "初审通过"})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING and claim.first_reviewed_by == supervisor
    client.post(reverse("childcare:claim-action", args=[claim.pk, "approve"]), {"comment": "同意"})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING  # the first reviewer may not 复核
    # 复核 by a second reviewer once the window has passed
    OperatingSubsidyClaim.objects.filter(pk=claim.pk).update(publicity_ends_on=date(2000, 1, 1))
    login_verified(client, UserFactory(username="sup_second", role="supervisor", region_id="220100"))
    client.post(reverse("childcare:claim-action", args=[claim.pk, "approve"]), {"comment": "同意"})
    claim.refresh_from_db()
    assert claim.status == OperatingSubsidyClaim.Status.APPROVED
    csv = client.get(reverse("childcare:claim-export") + "?year=2025&format=csv")
    text = csv.content.decode("utf-8-sig")
    assert "导出测试托育园" in text and "3600.00" in text
    xlsx = client.get(reverse("childcare:claim-export") + "?year=2025&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_is_scoped(client_for, caseworker, supervisor, other_caseworker, jilin_institution):
    EnrollmentFactory(institution=jilin_institution, start_date=date(2025, 1, 1))
    claim = claims.claim_submit(claim=claims.claim_compute(institution=jilin_institution, year=2025,
                                                           user=other_caseworker), user=other_caseworker)
    claim.status = OperatingSubsidyClaim.Status.APPROVED
    claim.save()
    text = client_for(caseworker).get(reverse("childcare:claim-export") + "?format=csv").content.decode("utf-8-sig")
    assert jilin_institution.name not in text


def test_dashboard_shows_capacity_occupancy_and_per_thousand(client_for, supervisor):
    from apps.core.models import Region

    Region.objects.filter(code="220102").update(population=500_000)
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    response = client_for(supervisor).get(reverse("childcare:dashboard"))
    assert response.status_code == 200
    row = next(r for r in response.context["regions"] if r["code"] == "220102")
    assert (row["places"], row["enrolled"], str(row["per_thousand"])) == (30, 1, "0.06")
    assert response.context["totals"]["occupancy"] == 3


def test_inspection_finding_and_rectification_flow(client_for, caseworker):
    institution = InstitutionFactory(region_id="220102")
    client = client_for(caseworker)
    client.post(reverse("childcare:inspection-create", args=[institution.pk]),
                {"kind": "fire", "visited_on": "2025-06-01", "inspector": "区消防大队"})
    inspection = institution.inspections.get()
    client.post(reverse("childcare:finding-create", args=[inspection.pk]),
                {"severity": "serious", "description": "灭火器过期", "rectification_deadline": "2025-06-30"})
    listing = client.get(reverse("childcare:institution-list") + "?serious_finding=true").content.decode()
    assert institution.name in listing and "严重安全问题" in listing
    finding = inspection.findings.get()
    client.post(reverse("childcare:finding-rectify", args=[finding.pk]),
                {"rectified_on": "2025-06-20", "follow_up": "已更换"})
    finding.refresh_from_db()
    assert finding.status == "rectified"
    assert institution.name not in client.get(reverse("childcare:institution-list") + "?serious_finding=true"
                                              ).content.decode()


def test_attendance_import_page_lists_every_error(client_for, caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(caseworker)
    old_address = client.get(reverse("childcare:attendance-import"))
    assert old_address.status_code == 302 and old_address.url == reverse("imports:upload") + "?kind=attendance"
    page = client.get(old_address.url).content.decode()
    assert 'value="attendance" selected' in page and "托育机构统一社会信用代码" in page  # labels, not codes
    upload = SimpleUploadedFile("a.csv", b"id_number,institution_uscc,month,days_present\n1,2,3,4\n")
    response = client.post(reverse("imports:upload"), {"kind": "attendance", "file": upload}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "整个文件未导入" in html and "YYYY-MM" in html
    assert {issue.column for issue in response.context["page_obj"]} == {"id_number", "institution_uscc", "month"}


def test_compute_all_run_page_and_progress(client_for, supervisor, django_capture_on_commit_callbacks):
    InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=InstitutionFactory(region_id="220103"), start_date=date(2025, 2, 1))
    client = client_for(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("childcare:run-start"), {"year": 2025})
    assert response.status_code == 302
    progress = client.get(response.url + "?format=json").json()
    assert progress["status"] == "done" and progress["computed"] == 1 and progress["percent"] == 100
