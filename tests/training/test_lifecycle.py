"""Every transition of the table, allowed and refused, plus the record each one leaves."""

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.training.models import EnrollmentStatus, FollowUp
from apps.training.services import ENROLLMENT_LIFECYCLE, enrollment_transition
from tests.training.conftest import STEP_PAYLOADS, make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db

ALL_STATES = list(EnrollmentStatus.values)
ACTIONS = ENROLLMENT_LIFECYCLE.transitions
# (state, action) → target, read from the one table the UI, the API and the admin read.
TABLE = {(state, t.action): t.target for t in ACTIONS.values() for state in t.sources}
ALLOWED = sorted(TABLE)
REFUSED = [(s, a) for s in ALL_STATES for a in ACTIONS if (s, a) not in TABLE]
REVIEWER_ACTIONS = {"publish", "approve", "reject", "pay"}


def test_the_table_is_the_enrollment_lifecycle_of_r6():
    claimable = {("completed", "claim_subsidy"), ("assessed", "claim_subsidy"), ("employment_verified", "claim_subsidy")}
    assert TABLE == {
        ("registered", "enroll"): "enrolled", ("registered", "drop_out"): "dropped_out",
        ("enrolled", "start"): "in_training", ("enrolled", "drop_out"): "dropped_out",
        ("in_training", "complete"): "completed", ("in_training", "drop_out"): "dropped_out",
        ("completed", "assess"): "assessed", ("completed", "verify_employment"): "employment_verified",
        ("assessed", "verify_employment"): "employment_verified",
        **{pair: "subsidy_claimed" for pair in claimable},
        # 初审 → 公示 → 复核 (the claim's own lifecycle, apps.training.services.claims)
        ("subsidy_claimed", "publish"): "subsidy_publicizing", ("subsidy_claimed", "reject"): "employment_verified",
        ("subsidy_publicizing", "approve"): "approved", ("subsidy_publicizing", "reject"): "employment_verified",
        ("approved", "pay"): "paid",
    }
    assert {a for a, t in ACTIONS.items() if t.roles} == REVIEWER_ACTIONS
    assert {a for a, t in ACTIONS.items() if t.needs_form} == {"assess", "verify_employment"}


def _in_state(occupations, state, caseworker, supervisor):
    enrollment = make_enrollment(make_program(occupations), caseworker)
    if state == "registered":
        return enrollment
    return walk_to(enrollment, state, supervisor, caseworker)


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_allowed_transition_moves_state_and_is_recorded(occupations, caseworker, supervisor, state, action):
    enrollment = _in_state(occupations, state, caseworker, supervisor)
    if action == "claim_subsidy" and not enrollment.employment_verified:
        # In the table so a premature claim is refused with the subsidy rule's own reason.
        with pytest.raises(ApplicationError, match="劳动合同"):
            enrollment_transition(enrollment=enrollment, action=action, user=caseworker)
        enrollment = enrollment_transition(enrollment=enrollment, action="verify_employment", user=caseworker,
                                                     payload=STEP_PAYLOADS["verify_employment"])
        state = "employment_verified"
    payload = dict(STEP_PAYLOADS.get(action, {}))
    if action == "assess":
        payload["number"] = f"X-{enrollment.pk}"
    user = supervisor if action in REVIEWER_ACTIONS else caseworker
    before = enrollment.transitions.count()

    result = enrollment_transition(enrollment=enrollment, action=action, user=user, note="测试", payload=payload)

    expected = TABLE[(state, action)]
    assert result.status == expected
    assert result.transitions.count() == before + 1
    last = result.transitions.last()
    assert (last.from_status, last.to_status, last.by, last.action, last.note) == (state, expected, user, action, "测试")


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_transition_raises_clear_reason(occupations, caseworker, supervisor, state, action):
    enrollment = _in_state(occupations, state, caseworker, supervisor)
    before = enrollment.transitions.count()
    with pytest.raises(ConflictError) as error:
        enrollment_transition(enrollment=enrollment, action=action, user=supervisor)
    assert error.value.code == "transition_not_allowed"
    assert str(EnrollmentStatus(state).label) in error.value.message
    enrollment.refresh_from_db()
    assert enrollment.status == state and enrollment.transitions.count() == before


def test_every_state_and_action_is_covered():
    assert len(ALLOWED) + len(REFUSED) == len(ALL_STATES) * len(ACTIONS)


def test_claim_before_employment_is_refused_with_the_rule(occupations, caseworker, supervisor):
    for state in ("completed", "assessed"):
        enrollment = _in_state(occupations, state, caseworker, supervisor)
        with pytest.raises(ApplicationError) as error:
            enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=caseworker)
        assert error.value.code == "employment_not_verified"
        assert "劳动合同" in error.value.message


@pytest.mark.parametrize(("state", "action"), [("subsidy_claimed", "publish"), ("subsidy_publicizing", "approve")])
def test_caseworker_cannot_publish_or_approve(occupations, caseworker, supervisor, state, action):
    enrollment = _in_state(occupations, state, caseworker, supervisor)
    with pytest.raises(ApplicationError) as error:
        enrollment_transition(enrollment=enrollment, action=action, user=caseworker)
    assert (error.value.code, error.value.status_code) == ("reviewer_required", 403)
    assert action not in [t.action for t in ENROLLMENT_LIFECYCLE.available(enrollment, caseworker)]
    assert action in [t.action for t in ENROLLMENT_LIFECYCLE.available(enrollment, supervisor)]


def test_unknown_action_is_refused(occupations, caseworker):
    enrollment = make_enrollment(make_program(occupations), caseworker)
    with pytest.raises(ApplicationError) as error:
        enrollment_transition(enrollment=enrollment, action="teleport", user=caseworker)
    assert error.value.code == "unknown_action"


def test_full_program_refuses_enrollment(occupations, caseworker):
    program = make_program(occupations, capacity=1)
    walk_to(make_enrollment(program, caseworker), "enrolled", caseworker)
    with pytest.raises(ConflictError) as error:
        enrollment_transition(enrollment=make_enrollment(program, caseworker), action="enroll",
                                        user=caseworker)
    assert error.value.code == "program_full"


def test_completion_schedules_follow_ups_at_3_and_6_months(occupations, caseworker):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "completed", caseworker)
    due = dict(FollowUp.objects.filter(enrollment=enrollment).values_list("months", "due_on"))
    assert {m: d.isoformat() for m, d in due.items()} == {3: "2026-07-30", 6: "2026-10-30"}


def test_follow_up_schedule_is_the_parameter_of_the_programs_region(occupations, caseworker):
    """A city may set its own schedule (a 长春 row beats the province row); others keep 3 and 6 months."""
    from datetime import date

    from apps.eligibility.models import PolicyParameter
    from apps.eligibility.parameters import parameter_save

    parameter_save(parameter=PolicyParameter(
        key="training.follow_up_months", name="回访时点", value_type="table", value=[1, 12],
        valid_from=date(2025, 1, 1), region_id="220100", source_title="长春市测试文件"))
    changchun = walk_to(make_enrollment(make_program(occupations), caseworker), "completed", caseworker)
    assert sorted(FollowUp.objects.filter(enrollment=changchun).values_list("months", flat=True)) == [1, 12]
    jilin_worker = caseworker.__class__.objects.create(username="cw_jl_fu", role="caseworker", region_id="220204")
    jilin = walk_to(make_enrollment(make_program(occupations, region_id="220204", code="JL-FU"), jilin_worker),
                    "completed", jilin_worker)
    assert sorted(FollowUp.objects.filter(enrollment=jilin).values_list("months", flat=True)) == [3, 6]


def test_employment_verification_needs_evidence(occupations, caseworker):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "completed", caseworker)
    with pytest.raises(ApplicationError) as error:
        enrollment_transition(enrollment=enrollment, action="verify_employment", user=caseworker,
                                        payload={"employment_evidence": "oral_promise"})
    assert error.value.code == "invalid_employment"
    assert set(error.value.fields) >= {"employment_evidence", "employer_name", "employment_start", "monthly_wage"}
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and not enrollment.employment_verified


def test_an_applied_transition_is_logged_with_what_was_decided(occupations, caseworker, caplog):
    enrollment = make_enrollment(make_program(occupations), caseworker)
    with caplog.at_level("INFO", logger="apps.training.services.enrollments"):
        enrollment_transition(enrollment=enrollment, action="enroll", user=caseworker)
    record = next(r for r in caplog.records if r.getMessage() == "enrollment transition applied")
    assert (record.enrollment, record.action, record.from_status, record.to_status, record.user) == (
        enrollment.pk, "enroll", "registered", "enrolled", caseworker.pk)


@pytest.mark.parametrize(("state", "buttons"), [
    ("registered", ["enroll", "drop_out"]),
    ("enrolled", ["start", "drop_out"]),
    ("in_training", ["complete", "drop_out"]),
    ("completed", ["assess", "verify_employment", "claim_subsidy"]),
])
def test_buttons_follow_the_table_in_its_order(occupations, caseworker, supervisor, state, buttons):
    enrollment = _in_state(occupations, state, caseworker, supervisor)
    assert [t.action for t in ENROLLMENT_LIFECYCLE.available(enrollment, caseworker)] == buttons
