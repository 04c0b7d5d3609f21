"""R9 fraud cases: the lifecycle table walked move by move, four eyes, the penalty from the eligibility calculator
stored as a decision, the person's 暂停医保直接结算 tag opened on taking effect and ended on 撤销."""

from datetime import date
from decimal import Decimal

import pytest

from apps.applicants.models import StatusTag
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.review import ReviewRefused
from apps.eligibility.models import Determination
from apps.fraud import services
from apps.fraud.models import Appeal, FraudCase
from tests.factories import PersonFactory, UserFactory
from tests.fraud.conftest import move

S = FraudCase.Status
TAG = StatusTag.Tag.DIRECT_SETTLEMENT_SUSPENDED


def test_the_table():
    table = {a: (tuple(t.sources), t.target, bool(t.roles), t.needs_reason)
             for a, t in services.CASE_LIFECYCLE.transitions.items()}
    assert table == {
        "investigate": ((S.OPENED,), S.INVESTIGATING, False, False),
        "find": ((S.INVESTIGATING,), S.FOUND, False, False),
        "approve": ((S.FOUND,), S.EFFECTIVE, True, False),
        "return": ((S.FOUND,), S.INVESTIGATING, True, True),
        "dismiss": ((S.OPENED, S.INVESTIGATING), S.NOT_ESTABLISHED, False, True),
        "appeal": ((S.EFFECTIVE,), S.APPEALING, False, True),
        "uphold": ((S.APPEALING,), S.EFFECTIVE, True, True),
        "revoke": ((S.APPEALING,), S.REVOKED, True, True),
    }


@pytest.mark.parametrize(("path", "final"), [
    (["investigate", "dismiss"], S.NOT_ESTABLISHED),
    (["dismiss"], S.NOT_ESTABLISHED),
    (["investigate", "find", "return", "find", "approve"], S.EFFECTIVE),
    (["investigate", "find", "approve", "appeal", "uphold"], S.EFFECTIVE),
    (["investigate", "find", "approve", "appeal", "revoke"], S.REVOKED),
    (["investigate", "find", "approve", "appeal", "uphold", "appeal", "revoke"], S.REVOKED),
])
def test_paths(open_case, caseworker, supervisor, path, final):
    case = open_case()
    for action in path:
        transition = services.CASE_LIFECYCLE.transitions[action]
        user = supervisor if transition.roles else caseworker
        case = move(case, action, user, note="理由" if transition.needs_reason else "",
                    misused_amount=Decimal("8600.00"), facts_summary="事实")
    assert case.status == final
    assert case.history.count() == len(path) + 1  # every move is a history row


@pytest.mark.parametrize(("status_path", "action"), [
    ([], "find"), ([], "approve"), (["investigate"], "approve"), (["investigate"], "appeal"),
    (["dismiss"], "investigate"),
])
def test_a_move_the_status_does_not_allow_is_refused(open_case, caseworker, status_path, action):
    case = open_case()
    for step in status_path:
        case = move(case, step, caseworker, note="理由")
    with pytest.raises(ApplicationError) as refused:
        move(case, action, caseworker, note="x")
    assert refused.value.code in ("transition_not_allowed", "reviewer_required")


def test_finding_stores_the_calculators_decision(found_case):
    case = found_case("8600.00")
    finding = case.finding
    assert (finding.repay_amount, finding.fine_amount) == (Decimal("8600.00"), Decimal("21500.00"))
    assert (finding.suspended_from, finding.suspended_until) == (date(2026, 11, 25), date(2027, 5, 25))
    decision = finding.determination
    assert decision.calculator == "fraud-penalty" and decision.person_id == case.person_id
    assert decision.fingerprint and len(decision.parameter_versions) == 2
    assert [s["label"] for s in decision.result["steps"]][:2] == ["责令退回医保基金", "罚款"]
    assert case.found_by_id == finding.found_by_id


@pytest.mark.parametrize(("billed", "misused", "code"), [
    ("100.00", "0", "invalid_amount"),  # nothing found: 不予认定, not a finding of 0
    ("100.00", "100.01", "invalid_amount"),  # more than medical insurance paid
    ("100.00", None, "invalid_amount"),
])
def test_finding_amount_is_checked(open_case, caseworker, billed, misused, code):
    case = move(open_case(billed), "investigate", caseworker)
    with pytest.raises(ApplicationError) as refused:
        move(case, "find", caseworker, misused_amount=Decimal(misused) if misused else None, facts_summary="事实")
    assert refused.value.code == code and "misused_amount" in refused.value.fields


@pytest.mark.parametrize(("billed", "misused", "repay", "fine"), [
    ("100.00", "100.00", "100.00", "250.00"),  # the boundary: all of it
    ("100.00", "0.01", "0.01", "0.03"),  # one fen: 0.025 half-up
    ("1234.57", "1234.57", "1234.57", "3086.43"),
])
def test_finding_amounts(found_case, billed, misused, repay, fine):
    finding = found_case(billed, misused).finding
    assert (str(finding.repay_amount), str(finding.fine_amount)) == (repay, fine)


def test_finding_needs_its_facts(open_case, caseworker):
    case = move(open_case(), "investigate", caseworker)
    with pytest.raises(ApplicationError) as refused:
        move(case, "find", caseworker, misused_amount=Decimal("1"), facts_summary=" ")
    assert refused.value.fields == {"facts_summary": ["请填写认定事实"]}


def test_four_eyes_the_finder_may_not_review(open_case, supervisor):
    case = move(open_case(), "investigate", supervisor)
    case = move(case, "find", supervisor, misused_amount=Decimal("10"), facts_summary="事实")
    offers = {o.action: o.refusal for o in services.case_offers(case=case, user=supervisor)}
    assert offers["approve"] and offers["return"]  # drawn disabled, with the reason
    with pytest.raises(ReviewRefused) as refused:
        move(case, "approve", supervisor)
    assert refused.value.code == "four_eyes"
    other = UserFactory(username="sup_two", role="supervisor", region_id="220100")
    assert move(case, "approve", other).status == S.EFFECTIVE


def test_a_caseworker_may_not_review(found_case, caseworker):
    with pytest.raises(ReviewRefused) as refused:
        move(found_case(), "approve", caseworker)
    assert refused.value.code == "reviewer_required"


@pytest.mark.parametrize("action", ["return", "dismiss", "appeal", "uphold", "revoke"])
def test_reason_required(open_case, found_case, caseworker, supervisor, action):
    case = {"return": lambda: found_case(), "dismiss": lambda: open_case()}.get(action, lambda: found_case())()
    if action in ("appeal", "uphold", "revoke"):
        case = move(case, "approve", supervisor)
    if action in ("uphold", "revoke"):
        case = move(case, "appeal", caseworker, note="申诉")
    user = supervisor if services.CASE_LIFECYCLE.transitions[action].roles else caseworker
    with pytest.raises(ApplicationError) as refused:
        move(case, action, user, note="  ")
    assert refused.value.code == "reason_required"


def test_taking_effect_recomputes_for_the_day_and_tags_the_person(found_case, supervisor):
    case = found_case("8600.00", on=date(2026, 8, 31))
    proposed = case.finding.determination_id
    case = move(case, "approve", supervisor, today=date(2026, 9, 1))
    finding = case.finding
    finding.refresh_from_db()
    assert finding.determination_id != proposed and Determination.objects.filter(person=case.person).count() == 2
    assert (finding.effective_on, finding.suspended_from, finding.suspended_until) == (
        date(2026, 9, 1), date(2026, 9, 1), date(2027, 3, 1))
    tag = StatusTag.objects.get(person=case.person, tag=TAG)
    assert (tag.since, tag.until) == (date(2026, 9, 1), date(2027, 3, 1)) and finding.suspension_tag == tag
    assert tag.get_tag_display() == "暂停医保直接结算"


def test_revocation_ends_the_tag_the_day_of_revocation(found_case, caseworker, supervisor):
    case = move(found_case(), "approve", supervisor, today=date(2026, 9, 1))
    case = move(case, "appeal", caseworker, note="住院与工伤无关", today=date(2026, 9, 10))
    case = move(case, "revoke", supervisor, note="依据不足", today=date(2026, 10, 15))
    tag = StatusTag.objects.get(person=case.person, tag=TAG)
    assert tag.until == date(2026, 10, 15)
    appeal = Appeal.objects.get(case=case)
    assert (appeal.outcome, appeal.lodged_on, appeal.decided_by) == ("revoked", date(2026, 9, 10), supervisor)
    case.finding.refresh_from_db()
    assert case.finding.revoked_on == date(2026, 10, 15)


def test_upheld_appeal_keeps_the_tag(found_case, caseworker, supervisor):
    case = move(found_case(), "approve", supervisor, today=date(2026, 9, 1))
    case = move(move(case, "appeal", caseworker, note="申诉"), "uphold", supervisor, note="维持")
    assert StatusTag.objects.get(person=case.person, tag=TAG).until == date(2027, 3, 1)
    assert Appeal.objects.get(case=case).outcome == "upheld"


def test_revoking_after_the_suspension_ran_out_does_not_extend_it(found_case, caseworker, supervisor):
    case = move(found_case(), "approve", supervisor, today=date(2026, 1, 5))
    case = move(case, "appeal", caseworker, note="申诉")
    move(case, "revoke", supervisor, note="撤销", today=date(2026, 12, 1))
    assert StatusTag.objects.get(person=case.person, tag=TAG).until == date(2026, 7, 5)


def test_create_is_scoped(caseworker, other_caseworker, person):
    with pytest.raises(NotFoundError):
        services.case_create(user=other_caseworker, person=person, reported_on=date(2026, 11, 1), hospital="医院",
                             amount_billed=Decimal("1"))
    elsewhere = PersonFactory(region_id="220102")
    with pytest.raises(ApplicationError) as refused:
        services.case_create(user=caseworker, person=elsewhere, region_code="220204", reported_on=date(2026, 11, 1),
                             hospital="医院", amount_billed=Decimal("1"))
    assert refused.value.code == "region_out_of_scope"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("amount_billed", Decimal("-0.01"), "invalid_amount"),
    ("reported_on", date(2999, 1, 1), "invalid_date"),
    ("kind", "other", "invalid_kind"),
])
def test_create_checks(caseworker, person, field, value, code):
    values = {"reported_on": date(2026, 11, 1), "hospital": "医院", "amount_billed": Decimal("1"), field: value}
    with pytest.raises(ApplicationError) as refused:
        services.case_create(user=caseworker, person=person, **values)
    assert refused.value.code == code
