"""UI pages, benefits panel, statistics and exports, admin."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse

from apps.child_welfare import benefits, services
from apps.child_welfare.models import CharityResource, ChildrenDirector, Referral, Status
from tests.child_welfare.conftest import complete_assessment, report, walk

pytestmark = pytest.mark.django_db


def test_benefits_panel_preschool_aid_and_childcare_subsidy(caseworker):
    today = date.today()
    toddler = report(caseworker, birth=today - timedelta(days=400), categories=("minimum_living_allowance",),
                     at_inclusive_kindergarten=True, kindergarten_approved=True, urban=True)
    panel = benefits.case_benefits(toddler)
    titles = {row["title"]: row["result"] for row in panel["rows"]}
    aid = titles["学前教育资助（R4）"]
    assert aid.eligible and str(aid.amount) == "2000.00"
    assert titles["国家育儿补贴（未满3周岁）"].eligible
    assert any("低保" in text for text in panel["others"])
    older = report(caseworker, categories=("left_behind",), at_inclusive_kindergarten=True,
                   kindergarten_approved=True, urban=False)
    rows = benefits.case_benefits(older)["rows"]
    assert len(rows) == 1 and not rows[0]["result"].eligible  # 留守 is not one of R4's groups


def test_benefits_panel_says_which_parameter_is_missing_instead_of_failing(caseworker):
    from apps.eligibility.models import PolicyParameter

    PolicyParameter.objects.filter(key="preschool_aid.annual_amount_urban").delete()
    case = report(caseworker, categories=("orphan",), at_inclusive_kindergarten=True, kindergarten_approved=True,
                  urban=True)
    (row,) = benefits.case_benefits(case)["rows"]
    assert row["result"] is None and "preschool_aid.annual_amount_urban" in row["error"]


def test_ui_report_and_detail_pages(caseworker, client_for):
    from tests.child_welfare.conftest import child_id

    web = client_for(caseworker)
    assert web.get(reverse("child_welfare:case-report")).status_code == 200
    response = web.post(reverse("child_welfare:case-report"), {
        "child_name": "吴小满", "child_id_number": child_id(), "region": "220102", "referral_source": "neighbour",
        "risk_level": "high", "categories": ["left_behind", "disabled"], "categories_since": "2026-01-01",
        "guardian_name": "吴奶奶", "guardian_relationship": "祖母", "guardian_situation": "normal"})
    assert response.status_code == 302
    page = web.get(response.url)
    html = page.content.decode()
    assert "吴小满" in html and "高风险" in html and "核实（精准识别）" in html and "六领域评估" in html
    bad = web.post(reverse("child_welfare:case-report"), {"child_name": "x", "child_id_number": "123",
                                                           "region": "220102", "referral_source": "school",
                                                           "risk_level": "low", "categories_since": "2026-01-01"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()


def test_every_case_form_page_renders_and_saves(caseworker, client_for):
    case = walk(caseworker, report(caseworker), Status.IN_SERVICE)
    web = client_for(caseworker)
    for name in ("case-edit", "case-risk", "category-add", "guardian-add", "assessment-add", "plan-add",
                 "visit-add", "referral-add", "sensitive"):
        assert web.get(reverse(f"child_welfare:{name}", args=[case.pk])).status_code == 200, name
    assert web.post(reverse("child_welfare:visit-add", args=[case.pk]), {
        "visited_on": date.today().isoformat(), "visitors": "王经办", "child_seen": "on",
        "findings": "正常"}).status_code == 302
    assert web.post(reverse("child_welfare:referral-add", args=[case.pk]), {
        "target_type": "education", "target_name": "南关区教育局", "domain": "education", "request": "申请资助",
        "referred_on": date.today().isoformat()}).status_code == 302
    referral = Referral.objects.get()
    assert web.post(reverse("child_welfare:referral-respond", args=[case.pk, referral.pk]),
                    {"status": "completed", "response": "已落实"}).status_code == 302
    case.refresh_from_db()  # the visit moved the version on
    assert web.post(reverse("child_welfare:case-risk", args=[case.pk]), {
        "version": case.version, "risk_level": "high", "reason": "x"}).status_code == 302
    response = web.post(reverse("child_welfare:case-transition", args=[case.pk, "resume"]))
    assert response.status_code == 302  # refused (not under review): message, back to the case
    case.refresh_from_db()
    assert case.status == Status.IN_SERVICE


def test_caseload_matching_and_referral_from_a_match(caseworker, client_for):
    director = ChildrenDirector.objects.create(name="刘红梅", region_id="220102", community="曙光街道明珠社区")
    case = walk(caseworker, report(caseworker), Status.VERIFIED)
    services.case_update(user=caseworker, case_id=case.pk, expected_version=case.version, data={"director": director})
    complete_assessment(caseworker, case, severity="high")
    resource = CharityResource.objects.create(name="课业辅导", provider="师大志愿者协会", provider_type="volunteer",
                                              domain="education", region_id="220100", capacity=10)
    CharityResource.objects.create(name="吉林市助学", provider="吉林市慈善会", provider_type="charity",
                                   domain="education", region_id="220200")
    web = client_for(caseworker)
    caseload = web.get(reverse("child_welfare:caseload"))
    assert caseload.context["directors"][0].open_cases == 1
    matching = web.get(reverse("child_welfare:matching") + "?domain=education")
    rows = matching.context["rows"]
    assert len(rows) == 1 and rows[0]["resources"] == [resource]  # 吉林市 resources don't serve 长春
    web.post(reverse("child_welfare:match-refer", args=[case.pk]), {"resource": resource.pk})
    referral = Referral.objects.get()
    assert (referral.resource, referral.target_type) == (resource, "volunteer")


def test_statistics_page_and_exports(caseworker, supervisor, client_for):
    walk(caseworker, report(caseworker, risk="high"), Status.IN_SERVICE)
    closed = report(caseworker)
    services.case_transition(user=caseworker, case_id=closed.pk, action="close", reason="x",
                             closure_reason="resolved")
    page = client_for(supervisor).get(reverse("child_welfare:statistics"))
    stats = page.context["stats"]
    assert stats["totals"]["open"] == 1 and stats["totals"]["high"] == 1
    assert sum(stats["monthly"]["new"]) == 2 and sum(stats["monthly"]["closed"]) == 1
    csv_body = client_for(supervisor).get(reverse("child_welfare:statistics-export") + "?format=csv")
    assert "高风险" in csv_body.content.decode("utf-8-sig")
    xlsx = client_for(supervisor).get(reverse("child_welfare:statistics-export") + "?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "分组"
    cases = client_for(supervisor).get(reverse("child_welfare:case-list-export") + "?format=xlsx")
    assert load_workbook(BytesIO(cases.content)).active.max_row == 3


def test_admin_lists_cases_by_the_access_rule_and_runs_transitions(caseworker, supervisor, other_caseworker,
                                                                   client_for):
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="child_welfare"))
    mine = report(caseworker)
    theirs = report(other_caseworker, region="220204")
    web = client_for(supervisor)
    changelist = web.get(reverse("admin:child_welfare_case_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert web.get(reverse("admin:child_welfare_case_change", args=[mine.pk])).status_code == 200
    services.case_update(user=supervisor, case_id=mine.pk, expected_version=mine.version,
                         data={"identity_verified": True, "documents_verified": True})
    web.post(reverse("admin:child_welfare_case_changelist"),
             {"action": "transition_verify", "_selected_action": [mine.pk]})
    mine.refresh_from_db()
    assert mine.status == Status.VERIFIED
    for model in ("assessment", "planitem", "visit", "referral", "escalation", "childrendirector",
                  "charityresource"):
        assert web.get(reverse(f"admin:child_welfare_{model}_changelist")).status_code == 200, model
    assert web.get(reverse("history", args=["child_welfare", "case", mine.pk])).status_code == 200


def test_dashboard_renders_for_each_role(caseworker, supervisor, province_admin, client_for):
    report(caseworker, risk="high", reported_on=date.today() - timedelta(days=40))
    for user in (caseworker, supervisor, province_admin):
        assert client_for(user).get(reverse("child_welfare:dashboard")).status_code == 200


def _admin_add(web, person, region):
    data = {"child": person.pk, "region": region, "referral_source": "school",
            "reported_on": date.today().isoformat(), "urban": "on"}
    for prefix in ("categories", "guardians", "risk_changes", "transitions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    return web.post(reverse("admin:child_welfare_case_add"), data)


def test_admin_add_reports_through_the_service_and_its_region_check(supervisor):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from apps.child_welfare.models import Case
    from tests.conftest import login_verified
    from tests.factories import PersonFactory

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="child_welfare"))
    web = login_verified(Client(), supervisor)
    child = PersonFactory(birth=date(2015, 6, 1))
    response = _admin_add(web, child, "220102")
    assert response.status_code == 302
    case = Case.objects.get(child=child)
    assert list(case.transitions.values_list("action", flat=True)) == ["report"]
    assert case.next_visit_due is not None and case.risk_changes.count() == 1

    elsewhere = PersonFactory(birth=date(2015, 6, 1), region_id="220204")
    refused = _admin_add(web, elsewhere, "220204")  # 吉林市船营区: outside the 长春 supervisor's region
    # The form offers neither that child nor that region (a field error on the page, 200); the service
    # would refuse the region too (400).
    assert refused.status_code in (200, 400) and not Case.objects.filter(child=elsewhere).exists()
    if refused.status_code == 200:
        assert refused.context["adminform"].form.errors


def test_admin_visit_for_a_case_of_another_region_is_refused(supervisor, other_caseworker):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from apps.child_welfare.models import Visit
    from tests.conftest import login_verified

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="child_welfare"))
    web = login_verified(Client(), supervisor)
    theirs = report(other_caseworker, region="220204")
    response = web.post(reverse("admin:child_welfare_visit_add"), {
        "case": theirs.pk, "visited_on": date.today().isoformat(), "visitors": "x", "child_seen": "on",
        "findings": "x", "recorded_by": supervisor.pk})
    assert response.status_code == 200 and "case" in response.context["adminform"].form.errors
    assert not Visit.objects.exists()


def test_statistics_months_run_back_across_the_year_end():
    from apps.child_welfare.statistics import _months_back

    assert _months_back(date(2026, 2, 15), 4) == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1),
                                                  date(2026, 2, 1)]
    assert _months_back(date(2026, 3, 31), 1) == [date(2026, 3, 1)]
