"""The four bulk bars (apps.core.bulk) through their pages: 主动发现 leads, childcare claim review, training
enrollment stages and case reassignment — success, mixed results with each reason, the size limit, scoping and
four eyes; a double submit does the batch once; the list with checkboxes reads no query per row."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.child_welfare import services as cw_services
from apps.child_welfare.models import Case, ClosureReason
from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.bulk import NOT_FOUND_MESSAGE
from apps.core.idempotency import REPEAT_MESSAGE, new_token
from apps.core.review import FOUR_EYES_MESSAGE, REVIEWER_MESSAGE
from apps.eligibility.models import BenefitMatch
from apps.training.models import EnrollmentStatus
from tests.child_welfare.conftest import report as report_case
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import PersonFactory, UserFactory
from tests.queries import assert_queries_constant
from tests.training.conftest import make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db


def post(client, url_name, ids, choice, note="", token=None):
    response = client.post(reverse(url_name), {"ids": [str(i) for i in ids], "choice": choice, "note": note,
                                               "form_token": token or new_token()})
    assert response.status_code == 302, response.status_code
    return response, client.get(response["Location"]).content.decode()


# ---------------------------------------------------------------- 主动发现


def _match(region="220102", name="新生儿甲", year=2026):
    return BenefitMatch.objects.create(person=PersonFactory(region_id=region, name=name), calculator="childcare-subsidy",
                                       year=year, as_of=date(year, 6, 1), facts={}, result={}, amount=Decimal("3300.00"))


def test_leads_are_marked_per_record_with_a_report(client_for, caseworker):
    first, second, done, theirs = _match(name="甲"), _match(name="乙"), _match(name="丙"), _match("220204", "船营丁")
    BenefitMatch.objects.filter(pk=done.pk).update(status="handled")
    client = client_for(caseworker)
    response, page = post(client, "eligibility:match-bulk", [first.pk, second.pk, done.pk, theirs.pk, "x1"], "dismissed",
                          note="已在外省领取")
    assert "bulk=" in response["Location"]
    assert "成功 2 条" in page and "未处理 3 条" in page
    assert "该线索已处理（已办理）" in page and page.count(NOT_FOUND_MESSAGE) == 2 and "船营丁" not in page
    statuses = dict(BenefitMatch.objects.values_list("person__name", "status"))
    assert statuses == {"甲": "dismissed", "乙": "dismissed", "丙": "handled", "船营丁": "open"}
    assert BenefitMatch.objects.get(pk=first.pk).resolved_by == caseworker


def test_the_outcome_is_never_preselected_and_a_dismissal_needs_its_reason(client_for, caseworker):
    match = _match()
    client = client_for(caseworker)
    page = client.get(reverse("eligibility:match-list")).content.decode()
    assert '<option value="" selected disabled>请选择处理结果</option>' in page
    assert f'name="ids" value="{match.pk}"' in page and 'data-bulk-all="bulk-form"' in page
    _, page = post(client, "eligibility:match-bulk", [match.pk], "")
    assert "请选择批量操作的处理结果" in page
    _, page = post(client, "eligibility:match-bulk", [match.pk], "dismissed")
    assert "须填写原因" in page
    match.refresh_from_db()
    assert match.status == "open"


def test_a_double_submitted_batch_is_done_once_and_shows_the_first_report(client_for, caseworker):
    match = _match()
    client, token = client_for(caseworker), new_token()
    first, page = post(client, "eligibility:match-bulk", [match.pk], "handled", token=token)
    assert "成功 1 条" in page
    again, page = post(client, "eligibility:match-bulk", [match.pk], "handled", token=token)
    assert again["Location"] == first["Location"] and REPEAT_MESSAGE in page and "成功 1 条" in page
    assert BenefitMatch.history.filter(id=match.pk, status="handled").count() == 1


def test_the_batch_size_is_refused_above_the_setting(client_for, caseworker, settings):
    settings.BULK_ACTION_MAX_RECORDS = 2
    matches = [_match(name=f"人{i}", year=2020 + i) for i in range(3)]
    _, page = post(client_for(caseworker), "eligibility:match-bulk", [m.pk for m in matches], "handled")
    assert "一次最多批量处理 2 条，您选择了 3 条" in page
    assert not BenefitMatch.objects.exclude(status="open").exists()


def test_the_lead_list_with_checkboxes_reads_no_query_per_row(client_for, caseworker):
    client = client_for(caseworker)
    counter = iter(range(1000))
    assert_queries_constant(lambda: client.get(reverse("eligibility:match-list")),
                            lambda k: [_match(name=f"人{next(counter)}") for _ in range(k)])


def test_a_next_address_elsewhere_is_not_followed(client_for, caseworker):
    match = _match()
    response = client_for(caseworker).post(reverse("eligibility:match-bulk"), {
        "ids": [match.pk], "choice": "handled", "next": "https://evil.example/x", "form_token": new_token()})
    assert response["Location"].startswith(reverse("eligibility:match-list"))


# ---------------------------------------------------------------- childcare claims


def _claim(user, region="220102", name="阳光托育"):
    institution = InstitutionFactory(region_id=region, name=name)
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    return claims.claim_compute(institution=institution, year=2025, user=user)


def test_claims_are_published_per_record_four_eyes_and_state_reported(client_for, caseworker, supervisor):
    ok = claims.claim_submit(claim=_claim(caseworker, name="甲托育"), user=caseworker)
    own = claims.claim_submit(claim=_claim(caseworker, name="乙托育"), user=supervisor)  # submitted by the reviewer
    draft = _claim(caseworker, name="丙托育")
    elsewhere = claims.claim_submit(claim=_claim(caseworker, region="220204", name="船营托育"), user=caseworker)
    _, page = post(client_for(supervisor), "childcare:claim-bulk", [ok.pk, own.pk, draft.pk], "publish")
    assert "成功 1 条" in page and "未处理 2 条" in page, page[page.find("bulk-report"):][:2000]
    assert FOUR_EYES_MESSAGE in page, page[page.find("bulk-skipped"):][:1500]
    assert "当前状态“已测算”不能执行“初审通过并公示”操作" in page
    status = dict(OperatingSubsidyClaim.objects.values_list("institution__name", "status"))
    assert status == {"甲托育": "publicizing", "乙托育": "submitted", "丙托育": "draft", "船营托育": "submitted"}
    assert OperatingSubsidyClaim.objects.get(pk=ok.pk).first_reviewed_by == supervisor
    # a reviewer of 船营区 finds none of 南关区's claims
    other = UserFactory(username="sup_jilin", role="supervisor", region_id="220200")
    _, page = post(client_for(other), "childcare:claim-bulk", [ok.pk, elsewhere.pk], "return", note="补充材料")
    assert "成功 1 条" in page and NOT_FOUND_MESSAGE in page and "甲托育" not in page
    assert OperatingSubsidyClaim.objects.get(pk=elsewhere.pk).status == "returned"


def test_a_caseworker_gets_no_review_bar_and_cannot_post_one(client_for, caseworker):
    claim = claims.claim_submit(claim=_claim(caseworker), user=caseworker)
    client = client_for(caseworker)
    page = client.get(reverse("childcare:claim-list")).content.decode()
    assert 'name="ids"' not in page and "批量审核" not in page
    _, page = post(client, "childcare:claim-bulk", [claim.pk], "publish")
    assert "请选择批量操作的处理结果" in page
    assert OperatingSubsidyClaim.objects.get(pk=claim.pk).status == "submitted"


def test_returning_needs_the_comment_for_the_whole_batch(client_for, caseworker, supervisor):
    claim = claims.claim_submit(claim=_claim(caseworker), user=caseworker)
    _, page = post(client_for(supervisor), "childcare:claim-bulk", [claim.pk], "return")
    assert "须填写原因" in page and OperatingSubsidyClaim.objects.get(pk=claim.pk).status == "submitted"


def test_the_claim_page_shows_the_refused_review_disabled_with_the_reason(client_for, caseworker, supervisor):
    claim = claims.claim_submit(claim=_claim(caseworker), user=supervisor)
    url = reverse("childcare:claim-detail", args=[claim.pk])
    page = client_for(supervisor).get(url).content.decode()  # the submitter: four eyes
    assert 'data-refused-action="publish"' in page and FOUR_EYES_MESSAGE in page and 'data-action="publish"' not in page
    page = client_for(caseworker).get(url).content.decode()  # no reviewer role
    assert 'data-refused-action="publish"' in page and REVIEWER_MESSAGE in page
    other = UserFactory(username="sup2", role="supervisor", region_id="220102")
    page = client_for(other).get(url).content.decode()
    assert 'data-action="publish"' in page and "data-refused-action" not in page


# ---------------------------------------------------------------- training enrollments


def test_enrollments_move_to_their_next_stage_per_record(client_for, caseworker, occupations):
    program = make_program(occupations)
    enrolled = [walk_to(make_enrollment(program, caseworker), "enrolled", caseworker) for _ in range(2)]
    registered = make_enrollment(program, caseworker)
    elsewhere = make_enrollment(make_program(occupations, region_id="220204"), caseworker)
    walk_to(elsewhere, "enrolled", caseworker)
    ids = [e.pk for e in enrolled] + [registered.pk, elsewhere.pk]
    _, page = post(client_for(caseworker), "training:enrollment-bulk", ids, "start")
    assert "成功 2 条" in page and "未处理 2 条" in page
    assert "当前状态“已报名”不能执行“开班培训”操作" in page and NOT_FOUND_MESSAGE in page
    statuses = {e.pk: e.status for e in type(registered).objects.all()}
    assert [statuses[e.pk] for e in enrolled] == [EnrollmentStatus.IN_TRAINING] * 2
    assert statuses[registered.pk] == EnrollmentStatus.REGISTERED and statuses[elsewhere.pk] == EnrollmentStatus.ENROLLED


def test_a_caseworker_is_not_offered_the_review_and_the_claimant_is_refused_it(client_for, caseworker, supervisor,
                                                                                 occupations):
    program = make_program(occupations)
    # 公示中 with the window passed (walk_to's 初审 is another reviewer's): ready for the 复核
    own = walk_to(make_enrollment(program, supervisor), "subsidy_publicizing", supervisor)  # claimed by the reviewer
    theirs = walk_to(make_enrollment(program, caseworker), "subsidy_publicizing", supervisor, caseworker)
    page = client_for(caseworker).get(reverse("training:enrollment-list")).content.decode()
    assert 'value="approve"' not in page and 'value="start"' in page
    _, page = post(client_for(supervisor), "training:enrollment-bulk", [own.pk, theirs.pk], "approve")
    assert "成功 1 条" in page and FOUR_EYES_MESSAGE in page
    own.refresh_from_db(), theirs.refresh_from_db()
    assert (own.status, theirs.status) == (EnrollmentStatus.SUBSIDY_PUBLICIZING, EnrollmentStatus.APPROVED)


def test_the_enrollment_list_with_checkboxes_reads_no_query_per_row(client_for, caseworker, occupations):
    program = make_program(occupations, capacity=100)
    client = client_for(caseworker)
    assert_queries_constant(lambda: client.get(reverse("training:enrollment-list")),
                            lambda k: [make_enrollment(program, caseworker) for _ in range(k)])


# ---------------------------------------------------------------- child-welfare case reassignment


@pytest.fixture
def workers(db):
    return {"same": UserFactory(username="cw_nanguan2", role="caseworker", region_id="220102", last_name="王"),
            "other_district": UserFactory(username="cw_chaoyang", role="caseworker", region_id="220104",
                                          last_name="赵")}


def test_a_supervisor_reassigns_cases_per_record_with_each_reason(client_for, caseworker, supervisor, workers):
    moved, already, closed, far = (report_case(caseworker, name=n) for n in ("甲", "乙", "丙", "丁"))
    target = workers["same"]
    cw_services.case_update(user=supervisor, case_id=already.pk, expected_version=already.version,
                            data={"assigned_worker": target})
    cw_services.case_transition(user=caseworker, case_id=closed.pk, action="close", reason="已消除",
                                closure_reason=ClosureReason.RESOLVED)
    client = client_for(supervisor)
    page = client.get(reverse("child_welfare:case-list")).content.decode()
    assert f'<option value="{target.pk}"' in page and "批量改派" in page
    _, page = post(client, "child_welfare:case-bulk", [moved.pk, already.pk, closed.pk], str(target.pk))
    assert "成功 1 条" in page and "未处理 2 条" in page
    assert "无需改派" in page and "个案已结案，不能更换责任经办人" in page
    case = Case.objects.get(pk=moved.pk)
    assert case.assigned_worker == target and case.version == moved.version + 1
    assert case.history.first().history_user == supervisor
    # a worker of another district does not serve this case's region
    _, page = post(client, "child_welfare:case-bulk", [far.pk], str(workers["other_district"].pk))
    assert "责任经办人须为该区划的在岗经办人" in page and Case.objects.get(pk=far.pk).assigned_worker == caseworker


def test_reassignment_is_for_supervisors_and_workers_of_their_region(client_for, caseworker, other_caseworker,
                                                                     supervisor, workers):
    case = report_case(caseworker)
    page = client_for(caseworker).get(reverse("child_welfare:case-list")).content.decode()
    assert 'name="ids"' not in page and "批量改派" not in page
    response = client_for(caseworker).post(reverse("child_welfare:case-bulk"), {
        "ids": [case.pk], "choice": str(workers["same"].pk), "form_token": new_token()})
    assert response.status_code == 403
    # 船营区's caseworker is not one of a 长春市 supervisor's workers: no such choice
    _, page = post(client_for(supervisor), "child_welfare:case-bulk", [case.pk], str(other_caseworker.pk))
    assert "请选择批量操作的处理结果" in page and Case.objects.get(pk=case.pk).assigned_worker == caseworker


def test_the_case_list_with_checkboxes_reads_no_query_per_row(client_for, caseworker, supervisor, workers):
    client = client_for(supervisor)
    counter = iter(range(1000))
    assert_queries_constant(lambda: client.get(reverse("child_welfare:case-list")),
                            lambda k: [report_case(caseworker, name=f"童{next(counter)}") for _ in range(k)])
