"""apps.core.review: one four-eyes rule, one code, one status, one message for every approval."""

import pytest

from apps.childcare.services import claims as childcare_claims
from apps.core.review import FOUR_EYES_CODE, FOUR_EYES_MESSAGE, ReviewRefused, check_four_eyes, may_review
from apps.training.services import claims as training_claims
from tests.factories import UserFactory


def test_the_maker_may_not_check(supervisor):
    with pytest.raises(ReviewRefused) as refused:
        check_four_eyes(maker_id=supervisor.pk, user=supervisor)
    assert (refused.value.code, refused.value.status_code, refused.value.message) == (
        FOUR_EYES_CODE, 403, FOUR_EYES_MESSAGE)
    check_four_eyes(maker_id=None, user=supervisor)
    check_four_eyes(maker_id=supervisor.pk + 1000, user=supervisor)


def test_reviewers_are_supervisors_and_administrators(caseworker, supervisor, province_admin, integration_client):
    assert may_review(supervisor) and may_review(province_admin)
    assert not may_review(caseworker) and not may_review(integration_client) and not may_review(None)
    assert not may_review(UserFactory(username="aud", role="auditor", region_id="220000"))


def test_every_approval_uses_the_one_rule():
    """No app keeps its own four-eyes code: the guards are core's."""
    approve = childcare_claims.CLAIM_LIFECYCLE.get("approve")
    # 复核: neither the submitter nor the first reviewer (who published the claim)
    assert [g.__name__ for g in approve.actor_guards] == ["not_the_maker_submitted_by_id_first_reviewed_by_id"]
    publish = childcare_claims.CLAIM_LIFECYCLE.get("publish")
    assert [g.__name__ for g in publish.actor_guards] == ["not_the_maker_submitted_by_id"]
    # Training claims the same way: 初审 (publish), 驳回 and 发放 by anyone but the claimer; 复核 (approve) by
    # neither the claimer nor the first reviewer.
    for decision in ("publish", "reject", "pay"):
        transition = training_claims.CLAIM_LIFECYCLE.get(decision)
        assert [g.__name__ for g in transition.actor_guards] == ["not_the_maker_claimed_by_id"], decision
    approve = training_claims.CLAIM_LIFECYCLE.get("approve")
    assert [g.__name__ for g in approve.actor_guards] == ["not_the_maker_claimed_by_id_reviewed_by_id"]


def test_every_reviewed_record_is_decided_by_the_one_setter(supervisor):
    """The reviewed records (core ReviewedModel) hold reviewer, time and note in one place, filled by one effect:
    the note is cut to the column, the time is now, and each programme's approve and return use it."""
    from django.apps import apps as django_apps
    from django.utils import timezone

    from apps.core.models import ReviewedModel
    from apps.core.review import set_reviewer
    from apps.eldercare.services import CLAIM_LIFECYCLE as eldercare_claims
    from apps.public_posts.services import RUN_LIFECYCLE as post_runs
    from apps.startup_loans.services import APPLICATION_LIFECYCLE as loan_applications

    reviewed = sorted(m._meta.label for m in django_apps.get_models() if issubclass(m, ReviewedModel))
    assert reviewed == ["eldercare.IncentiveClaim", "public_posts.SubsidyRun", "startup_loans.LoanApplication",
                        "startup_loans.SubsidyClaim"]
    before = timezone.now()
    for label in reviewed:
        record = django_apps.get_model(label)()
        set_reviewer(record, supervisor, {"note": "核" * 250})
        assert (record.reviewed_by, len(record.review_note)) == (supervisor, 200) and record.reviewed_at >= before
    for lifecycle in (eldercare_claims, post_runs, loan_applications):
        assert {lifecycle.get(action).effect for action in ("approve", "reject")} == {set_reviewer}
