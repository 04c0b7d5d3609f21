"""Four eyes on training subsidies (issue 13, hole 7): whoever claimed a subsidy may not review (初审 or 复核),
reject or pay it — the one review rule of apps.core.review, with its one code and status."""

import pytest

from apps.core.exceptions import ApplicationError
from apps.core.review import FOUR_EYES_CODE
from apps.training.models import TrainingSubsidyClaim
from apps.training.services import ENROLLMENT_LIFECYCLE, claim_decide, enrollment_transition
from tests.factories import UserFactory
from tests.training.conftest import make_enrollment, make_program, publicized, walk_to


@pytest.fixture
def claimed_by_supervisor(occupations, caseworker, supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "employment_verified", supervisor,
                         caseworker)
    return enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=supervisor)


def test_the_supervisor_who_claimed_cannot_publish_nor_approve(claimed_by_supervisor, supervisor):
    with pytest.raises(ApplicationError) as refused:
        enrollment_transition(enrollment=claimed_by_supervisor, action="publish", user=supervisor)
    assert (refused.value.code, refused.value.status_code) == (FOUR_EYES_CODE, 403)
    claimed_by_supervisor.refresh_from_db()
    assert claimed_by_supervisor.status == "subsidy_claimed"
    assert "publish" not in [t.action for t in ENROLLMENT_LIFECYCLE.available(claimed_by_supervisor, supervisor)]
    publicized(claimed_by_supervisor.claims.get())  # another reviewer's 初审, the window passed
    claimed_by_supervisor.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        enrollment_transition(enrollment=claimed_by_supervisor, action="approve", user=supervisor)
    assert (refused.value.code, refused.value.status_code) == (FOUR_EYES_CODE, 403)
    claimed_by_supervisor.refresh_from_db()
    assert claimed_by_supervisor.status == "subsidy_publicizing"
    assert "approve" not in [t.action for t in ENROLLMENT_LIFECYCLE.available(claimed_by_supervisor, supervisor)]


def test_the_claimant_cannot_decide_the_claim_directly_either(claimed_by_supervisor, supervisor):
    claim = claimed_by_supervisor.claims.get()
    for decision in ("publish", "reject"):
        with pytest.raises(ApplicationError) as refused:
            claim_decide(claim=claim, user=supervisor, decision=decision)
        assert refused.value.code == FOUR_EYES_CODE
    claim = publicized(claim)
    for decision in ("approve", "reject"):
        with pytest.raises(ApplicationError) as refused:
            claim_decide(claim=claim, user=supervisor, decision=decision)
        assert refused.value.code == FOUR_EYES_CODE


def test_another_supervisor_approves_and_the_claimant_cannot_pay(claimed_by_supervisor, supervisor):
    other = UserFactory(username="sup_two", role="supervisor", region_id="220100")
    publicized(claimed_by_supervisor.claims.get())
    claimed_by_supervisor.refresh_from_db()
    approved = enrollment_transition(enrollment=claimed_by_supervisor, action="approve", user=other)
    assert approved.status == "approved"
    claim = approved.claims.get()
    assert claim.status == TrainingSubsidyClaim.Status.APPROVED and claim.approved_by == other
    with pytest.raises(ApplicationError) as refused:
        enrollment_transition(enrollment=approved, action="pay", user=supervisor)
    assert refused.value.code == FOUR_EYES_CODE
    assert enrollment_transition(enrollment=approved, action="pay", user=other).status == "paid"
