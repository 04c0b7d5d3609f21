"""The claim, finding and leaving moves are tables of core.lifecycle: what each face offers is what the
service accepts, and the refusals keep their stable codes."""

import logging
from datetime import date

import pytest
from django.urls import reverse

from apps.childcare.models import Finding, Inspection, OperatingSubsidyClaim
from apps.childcare.services import claims, enrollments, institutions
from apps.childcare.services.claims import CLAIM_LIFECYCLE
from apps.core.exceptions import ApplicationError, ConflictError
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, publicized
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OperatingSubsidyClaim.Status


@pytest.fixture
def claim(caseworker):
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    return claims.claim_compute(institution=institution, year=2025, user=caseworker)


def actions(claim, user):
    return [t.action for t in claims.claim_actions(claim=claim, user=user)]


def test_the_table_offers_submit_on_a_draft_and_review_to_another_supervisor(claim, caseworker, supervisor):
    assert actions(claim, caseworker) == ["submit"]
    submitted = claims.claim_submit(claim=claim, user=caseworker)
    assert actions(submitted, caseworker) == []  # not a supervisor
    assert actions(submitted, supervisor) == ["publish", "return"]
    published = publicized(submitted)
    assert actions(published, published.first_reviewed_by) == ["return"]  # 复核 is a third person's
    assert actions(published, supervisor) == ["approve", "return"]
    approved = claims.claim_approve(claim=published, user=supervisor)
    assert actions(approved, supervisor) == []


def test_four_eyes_hides_the_review_buttons_from_the_submitter(claim, supervisor):
    submitted = claims.claim_submit(claim=claim, user=supervisor)
    assert actions(submitted, supervisor) == []
    with pytest.raises(ApplicationError) as refused:
        claims.claim_return(claim=submitted, user=supervisor, comment="再看看")
    assert (refused.value.code, refused.value.status_code) == ("four_eyes", 403)


@pytest.mark.parametrize(("action", "code"), [("publish", "claim_not_submitted"), ("approve", "claim_not_publicized"),
                                              ("return", "claim_not_submitted")])
def test_a_move_from_the_wrong_status_is_a_conflict_with_its_code(claim, supervisor, action, code):
    with pytest.raises(ConflictError) as refused:
        claims.claim_transition(claim=claim, action=action, user=supervisor, comment="x")
    assert refused.value.code == code


def test_submitting_twice_is_refused(claim, caseworker):
    submitted = claims.claim_submit(claim=claim, user=caseworker)
    with pytest.raises(ConflictError) as refused:
        claims.claim_submit(claim=submitted, user=caseworker)
    assert refused.value.code == "claim_not_editable"


def test_return_without_a_comment_names_the_comment_field(claim, caseworker, supervisor):
    submitted = claims.claim_submit(claim=claim, user=caseworker)
    with pytest.raises(ApplicationError) as refused:
        claims.claim_return(claim=submitted, user=supervisor, comment="  ")
    assert refused.value.code == "comment_required" and "comment" in refused.value.fields


def test_unknown_action_is_refused(claim, caseworker):
    with pytest.raises(ApplicationError) as refused:
        claims.claim_transition(claim=claim, action="pay", user=caseworker)
    assert refused.value.code == "unknown_action"


def test_moves_are_logged_and_recorded_in_history(claim, caseworker, supervisor, caplog):
    with caplog.at_level(logging.INFO, logger="apps.childcare.services.claims"):
        submitted = claims.claim_submit(claim=claim, user=caseworker)
        claims.claim_return(claim=submitted, user=supervisor, comment="请补充出勤")
    moves = [(r.action, r.from_status, r.to_status) for r in caplog.records if hasattr(r, "action")]
    assert moves == [("submit", Status.DRAFT, Status.SUBMITTED), ("return", Status.SUBMITTED, Status.RETURNED)]
    assert submitted.history.first().history_change_reason == "退回：请补充出勤"


def test_claim_page_draws_the_buttons_from_the_table(client_for, claim, caseworker, supervisor):
    page = client_for(caseworker).get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert "提交审核" in page and "审核通过" not in page
    submitted = claims.claim_submit(claim=claim, user=caseworker)
    page = client_for(supervisor).get(reverse("childcare:claim-detail", args=[submitted.pk])).content.decode()
    assert CLAIM_LIFECYCLE.label("publish") in page and CLAIM_LIFECYCLE.label("return") in page
    other = UserFactory(username="sup2", role="supervisor", region_id="220102")
    claims.claim_return(claim=submitted, user=other, comment="补充")
    page = client_for(supervisor).get(reverse("childcare:claim-detail", args=[submitted.pk])).content.decode()
    assert "提交审核" in page  # returned: editable again


def test_rectifying_twice_is_refused_and_the_button_goes_away(client_for, caseworker):
    institution = InstitutionFactory(region_id="220102")
    inspection = Inspection.objects.create(institution=institution, kind="fire", visited_on=date(2025, 6, 1),
                                           inspector="消防")
    finding = Finding.objects.create(inspection=inspection, severity="serious", description="安全出口堵塞",
                                     rectification_deadline=date(2025, 7, 1))
    url = reverse("childcare:institution-detail", args=[institution.pk])
    assert "整改复查通过</button>" in client_for(caseworker).get(url).content.decode()
    with pytest.raises(ApplicationError) as refused:
        institutions.finding_rectify(finding=finding, rectified_on=date(2025, 5, 1), follow_up="早于检查")
    assert refused.value.code == "invalid" and "rectified_on" in refused.value.fields
    institutions.finding_rectify(finding=finding, rectified_on=date(2025, 6, 20), follow_up="已清理")
    with pytest.raises(ConflictError) as refused:
        institutions.finding_rectify(finding=finding, rectified_on=date(2025, 6, 21), follow_up="again")
    assert refused.value.code == "already_rectified"
    assert "整改复查通过</button>" not in client_for(caseworker).get(url).content.decode()


def test_leave_is_offered_only_while_in_care(client_for, caseworker):
    enrollment = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))
    url = reverse("childcare:enrollment-detail", args=[enrollment.pk])
    assert "办理离托</button>" in client_for(caseworker).get(url).content.decode()
    enrollments.enrollment_leave(enrollment=enrollment, end_date=date(2025, 3, 31), user=caseworker)
    assert "办理离托</button>" not in client_for(caseworker).get(url).content.decode()
    with pytest.raises(ConflictError) as refused:
        enrollments.enrollment_leave(enrollment=enrollment, end_date=date(2025, 4, 30))
    assert refused.value.code == "already_left"
