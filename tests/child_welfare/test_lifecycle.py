"""Every row of the transition table, its guard, and the record each step leaves."""

from datetime import date

import pytest

from apps.child_welfare import lifecycle, services
from apps.child_welfare.lifecycle import CASE_LIFECYCLE
from apps.child_welfare.models import CaseTransition, ClosureReason, Status
from apps.core.exceptions import ApplicationError
from tests.child_welfare.conftest import complete_assessment, report, walk

pytestmark = pytest.mark.django_db

def act(user, case, action, **kwargs):
    return services.case_transition(user=user, case_id=case.pk, action=action, **kwargs)


def test_report_records_the_first_step_and_schedules_a_visit(caseworker, case):
    assert case.status == Status.REPORTED and case.assigned_worker == caseworker
    first = case.transitions.get()
    assert (first.action, first.from_status, first.to_status, first.by) == ("report", "", Status.REPORTED,
                                                                            caseworker)
    assert case.next_visit_due is not None and case.risk_changes.count() == 1


def test_verify_refused_until_identity_documents_and_categories_are_checked(caseworker, case):
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "verify")
    assert refused.value.code == "verification_incomplete" and "身份" in refused.value.message
    services.case_update(user=caseworker, case_id=case.pk, expected_version=case.version,
                         data={"identity_verified": True, "documents_verified": True})
    case = act(caseworker, case, "verify")
    assert case.status == Status.VERIFIED


def test_assess_needs_all_six_domains(caseworker, case):
    case = walk(caseworker, case, Status.VERIFIED)
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "assess")
    assert refused.value.code == "assessment_incomplete"
    services.assessment_create(user=caseworker, case_id=case.pk, assessed_on=date.today(),
                               domains={"education": {"severity": "high", "needs": "辍学风险"}})
    with pytest.raises(ApplicationError):
        act(caseworker, case, "assess")
    complete_assessment(caseworker, case)
    assert act(caseworker, case, "assess").status == Status.ASSESSED


def test_plan_needs_an_item(caseworker, case):
    case = walk(caseworker, case, Status.ASSESSED)
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "plan")
    assert refused.value.code == "plan_empty"
    assert walk(caseworker, case, Status.PLANNED).status == Status.PLANNED


def test_service_review_resume_and_reassess(caseworker, case):
    case = walk(caseworker, case, Status.PLANNED)
    case = act(caseworker, case, "start_service")
    assert case.status == Status.IN_SERVICE and case.next_review_due is not None
    case = act(caseworker, case, "review")
    assert case.status == Status.UNDER_REVIEW and case.next_review_due is None
    case = act(caseworker, case, "resume")
    assert case.status == Status.IN_SERVICE
    act(caseworker, case, "review")
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "reassess")
    assert refused.value.code == "reason_required"
    case = act(caseworker, case, "reassess", reason="家庭情况变化")
    assert case.status == Status.VERIFIED


@pytest.mark.parametrize("reason", [ClosureReason.TURNED_18, ClosureReason.RESOLVED, ClosureReason.DECEASED])
def test_close_with_each_reason(caseworker, case, reason):
    case = walk(caseworker, case, Status.IN_SERVICE)
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "close", reason="说明")
    assert refused.value.code == "closure_reason_required"
    case = act(caseworker, case, "close", reason="说明", closure_reason=reason)
    assert (case.status, case.closure_reason, case.closed_on) == (Status.CLOSED, reason, date.today())
    assert case.next_visit_due is None
    last = case.transitions.last()
    assert (last.action, last.from_status, last.to_status, last.closure_reason, last.reason) == (
        "close", Status.IN_SERVICE, Status.CLOSED, reason, "说明")


def test_close_is_possible_from_every_open_status(caseworker):
    for status in [Status.REPORTED, Status.VERIFIED, Status.ASSESSED, Status.PLANNED, Status.UNDER_REVIEW]:
        case = walk(caseworker, report(caseworker), status)
        assert act(caseworker, case, "close", reason="x", closure_reason="resolved").status == Status.CLOSED


def test_reopen_after_resolved_and_refusals(caseworker, case):
    case = act(caseworker, case, "close", reason="困境消除", closure_reason="resolved")
    case = act(caseworker, case, "reopen", reason="再次发现监护缺失")
    assert (case.status, case.closure_reason, case.closed_on) == (Status.VERIFIED, "", None)
    assert case.next_visit_due is not None

    deceased = report(caseworker)
    act(caseworker, deceased, "close", reason="x", closure_reason="deceased")
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, deceased, "reopen", reason="误操作")
    assert refused.value.code == "reopen_refused"


def test_reopen_refused_once_the_child_is_adult(caseworker):
    case = report(caseworker, birth=date(date.today().year - 17, 1, 1))
    adult_birth = date(date.today().year - 18, 1, 1)
    case.child.birth_date = adult_birth
    case.child.save()
    act(caseworker, case, "close", reason="年满18岁", closure_reason="turned_18")
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "reopen", reason="x")
    assert refused.value.code == "reopen_refused" and "18" in refused.value.message


def test_action_not_allowed_from_the_current_status(caseworker, case):
    with pytest.raises(ApplicationError) as refused:
        act(caseworker, case, "resume")
    assert refused.value.code == "transition_not_allowed"
    with pytest.raises(ApplicationError) as unknown:
        services.case_transition(user=caseworker, case_id=case.pk, action="teleport")
    assert unknown.value.code == "unknown_action"


def test_every_transition_records_who_when_from_to(caseworker, case):
    case = walk(caseworker, case, Status.UNDER_REVIEW)
    rows = list(CaseTransition.objects.filter(case=case).values_list("action", "from_status", "to_status", "by"))
    assert [r[0] for r in rows] == ["report", "verify", "assess", "plan", "start_service", "review"]
    assert all(r[3] == caseworker.pk for r in rows)
    for (_, _, to_status, _), (_, from_status, _, _) in zip(rows, rows[1:], strict=False):
        assert to_status == from_status


def test_available_actions_follow_the_table():
    assert [t.action for t in CASE_LIFECYCLE.from_status(Status.REPORTED)] == ["verify", "close"]
    assert [t.action for t in CASE_LIFECYCLE.from_status(Status.UNDER_REVIEW)] == ["resume", "reassess", "close"]
    assert [t.action for t in CASE_LIFECYCLE.from_status(Status.CLOSED)] == ["reopen"]
    steps = lifecycle.stepper(Status.PLANNED)
    assert [s["done"] for s in steps][:3] == [True, True, True] and steps[3]["current"]


def test_a_report_for_a_child_with_an_open_case_is_refused(caseworker, case):
    with pytest.raises(ApplicationError) as refused:
        services.case_report(user=caseworker, child_id_number=case.child.id_number, child_name="x",
                             region_code="220102", referral_source="hotline")
    assert refused.value.code == "open_case_exists" and refused.value.status_code == 409


def test_one_case_takes_every_action_in_the_table(caseworker):
    """Self-contained (parallel runs split modules): every action of the table, in one case's life."""
    case = walk(caseworker, report(caseworker), Status.UNDER_REVIEW)
    taken = {"verify", "assess", "plan", "start_service", "review"}
    for action, kwargs in (("resume", {}), ("review", {}), ("reassess", {"reason": "复核发现新需求"}),
                           ("close", {"reason": "困境消除", "closure_reason": "resolved"}),
                           ("reopen", {"reason": "再次发现风险"})):
        case = act(caseworker, case, action, **kwargs)
        taken.add(action)
    assert case.status == Status.VERIFIED
    assert taken == set(CASE_LIFECYCLE.transitions)


def test_refusals_keep_their_status_and_fields(caseworker, case):
    """The lifecycle refuses with 400s, as this API always has: the wrong state names the moves on offer, a
    missing reason points at the `reason` field."""
    with pytest.raises(ApplicationError) as wrong_state:
        act(caseworker, case, "resume")
    assert wrong_state.value.status_code == 400
    assert wrong_state.value.fields["action"] == ["可执行：核实（精准识别）、结案"]
    with pytest.raises(ApplicationError) as no_reason:
        act(caseworker, case, "close", closure_reason="resolved")
    assert no_reason.value.status_code == 400 and list(no_reason.value.fields) == ["reason"]
    with pytest.raises(ApplicationError) as guard:
        act(caseworker, case, "verify")
    assert guard.value.status_code == 400


def test_history_rows_name_the_step_and_the_labels_cover_recorded_steps(caseworker, case):
    case = act(caseworker, case, "close", reason="困境消除", closure_reason="resolved")
    latest = case.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "结案"
    assert [lifecycle.action_label(a) for a in ("report", "verify", "transfer_in", "mystery")] == [
        "报告", "核实（精准识别）", "转入", "mystery"]
