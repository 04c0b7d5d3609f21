"""Every transition of the table, allowed and refused, plus the record each one leaves."""

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.training import lifecycle
from apps.training.models import EnrollmentStatus, FollowUp
from tests.training.conftest import STEP_PAYLOADS, make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db

ALL_STATES = list(EnrollmentStatus.values)
ALLOWED = sorted(lifecycle.TRANSITIONS)
REFUSED = [(s, a) for s in ALL_STATES for a in lifecycle.ACTIONS if (s, a) not in lifecycle.TRANSITIONS]


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
            lifecycle.enrollment_transition(enrollment=enrollment, action=action, user=caseworker)
        enrollment = lifecycle.enrollment_transition(enrollment=enrollment, action="verify_employment", user=caseworker,
                                                     payload=STEP_PAYLOADS["verify_employment"])
        state = "employment_verified"
    payload = dict(STEP_PAYLOADS.get(action, {}))
    if action == "assess":
        payload["number"] = f"X-{enrollment.pk}"
    user = supervisor if lifecycle.ACTIONS[action].reviewer_only else caseworker
    before = enrollment.transitions.count()

    result = lifecycle.enrollment_transition(enrollment=enrollment, action=action, user=user, note="测试", payload=payload)

    expected = lifecycle.TRANSITIONS[(state, action)].target
    assert result.status == expected
    assert result.transitions.count() == before + 1
    last = result.transitions.last()
    assert (last.from_status, last.to_status, last.by, last.action, last.note) == (state, expected, user, action, "测试")


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_refused_transition_raises_clear_reason(occupations, caseworker, supervisor, state, action):
    enrollment = _in_state(occupations, state, caseworker, supervisor)
    before = enrollment.transitions.count()
    with pytest.raises(ConflictError) as error:
        lifecycle.enrollment_transition(enrollment=enrollment, action=action, user=supervisor)
    assert error.value.code == "transition_not_allowed"
    assert str(EnrollmentStatus(state).label) in error.value.message
    enrollment.refresh_from_db()
    assert enrollment.status == state and enrollment.transitions.count() == before


def test_every_state_and_action_is_covered():
    assert len(ALLOWED) + len(REFUSED) == len(ALL_STATES) * len(lifecycle.ACTIONS)


def test_claim_before_employment_is_refused_with_the_rule(occupations, caseworker, supervisor):
    for state in ("completed", "assessed"):
        enrollment = _in_state(occupations, state, caseworker, supervisor)
        with pytest.raises(ApplicationError) as error:
            lifecycle.enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=caseworker)
        assert error.value.code == "employment_not_verified"
        assert "劳动合同" in error.value.message


def test_caseworker_cannot_approve_or_pay(occupations, caseworker, supervisor):
    enrollment = _in_state(occupations, "subsidy_claimed", caseworker, supervisor)
    with pytest.raises(ApplicationError) as error:
        lifecycle.enrollment_transition(enrollment=enrollment, action="approve", user=caseworker)
    assert error.value.code == "reviewer_required"
    assert "approve" not in [a.name for a in lifecycle.available_actions(enrollment, caseworker)]
    assert "approve" in [a.name for a in lifecycle.available_actions(enrollment, supervisor)]


def test_unknown_action_is_refused(occupations, caseworker):
    enrollment = make_enrollment(make_program(occupations), caseworker)
    with pytest.raises(ApplicationError) as error:
        lifecycle.enrollment_transition(enrollment=enrollment, action="teleport", user=caseworker)
    assert error.value.code == "unknown_action"


def test_full_program_refuses_enrollment(occupations, caseworker):
    program = make_program(occupations, capacity=1)
    walk_to(make_enrollment(program, caseworker), "enrolled", caseworker)
    with pytest.raises(ConflictError) as error:
        lifecycle.enrollment_transition(enrollment=make_enrollment(program, caseworker), action="enroll",
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
        lifecycle.enrollment_transition(enrollment=enrollment, action="verify_employment", user=caseworker,
                                        payload={"employment_evidence": "oral_promise"})
    assert error.value.code == "invalid_employment"
    assert set(error.value.fields) >= {"employment_evidence", "employer_name", "employment_start", "monthly_wage"}
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and not enrollment.employment_verified
