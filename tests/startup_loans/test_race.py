"""At the same instant on PostgreSQL: two reviewers approving one application, two reviewers approving one subsidy
claim, two caseworkers computing a claim for the same paid periods, two files prepared for one claim. Exactly one
wins each time; the other gets a ConflictError in Chinese; no period is claimed twice and no claim is paid twice.
Real concurrency: threads with their own connections released together by a barrier (tests/concurrency.py)."""

import pytest

from apps.core.exceptions import ConflictError
from apps.payments import services as payments
from apps.payments.models import PaymentBatch, PaymentLine
from apps.startup_loans import services
from apps.startup_loans.models import LoanApplication, RepaymentPeriod, SubsidyClaim
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.startup_loans.conftest import (
    approved_application,
    approved_claim,
    make_application,
    make_lender,
    schedule,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]
ROUNDS = 3


def one_winner(outcomes):
    won = [result for result, _ in outcomes if result is not None]
    lost = [error for _, error in outcomes if error is not None]
    assert len(won) == 1 and len(lost) == len(outcomes) - 1, outcomes
    assert all(isinstance(error, ConflictError) for error in lost), lost
    return won[0], lost


def test_two_reviewers_approving_one_application(caseworker, supervisor, second_supervisor):
    for _ in range(ROUNDS):
        application = make_application(caseworker)
        outcomes = race(*[lambda u=user, a=application: services.application_review(application=a, user=u,
                                                                                   action="approve")
                          for user in (supervisor, second_supervisor)])
        winner, (lost,) = one_winner(outcomes)
        assert lost.message == "当前状态“审核通过”不能执行“审核通过”操作"
        application.refresh_from_db()
        assert (application.status, application.reviewed_by_id) == (LoanApplication.Status.APPROVED,
                                                                     winner.reviewed_by_id)
        assert application.history.filter(history_change_reason__startswith="审核通过").count() == 1


def test_two_reviewers_approving_one_claim(caseworker, supervisor, second_supervisor):
    for _ in range(ROUNDS):
        application = approved_application(caseworker, supervisor)
        schedule(application)
        claim = services.claim_create(application=application, user=caseworker)
        outcomes = race(*[lambda u=user, c=claim: services.claim_review(claim=c, user=u, action="approve")
                          for user in (supervisor, second_supervisor)])
        winner, (lost,) = one_winner(outcomes)
        assert lost.message == "当前状态“审核通过”不能执行“审核通过”操作"
        claim.refresh_from_db()
        assert claim.status == SubsidyClaim.Status.APPROVED and claim.reviewed_by_id == winner.reviewed_by_id


def test_two_claims_for_the_same_paid_periods_at_the_same_instant(caseworker, supervisor, second_supervisor):
    for _ in range(ROUNDS):
        application = approved_application(caseworker, supervisor)
        schedule(application)
        outcomes = race(*[lambda u=user, a=application: services.claim_create(application=a, user=u)
                          for user in (caseworker, supervisor, second_supervisor)])
        winner, lost = one_winner(outcomes)
        assert {error.message for error in lost} == {"没有已还款且未申请贴息的期次（请先导入银行还款计划）"}
        assert SubsidyClaim.objects.filter(application=application).count() == 1
        periods = RepaymentPeriod.objects.filter(application=application, paid_date__isnull=False)
        assert set(periods.values_list("claim_id", flat=True)) == {winner.pk}


def test_two_files_for_one_claim_at_the_same_instant(caseworker, supervisor, second_supervisor):
    lender = make_lender(caseworker)
    for _ in range(ROUNDS):
        claim = approved_claim(caseworker, supervisor, lender)
        outcomes = race(*[lambda u=user, c=claim: payments.batch_prepare(user=u, source_key="startup_loans.claim",
                                                                          source_id=c.pk)
                          for user in (caseworker, supervisor, second_supervisor)])
        winner, lost = one_winner(outcomes)
        assert {error.code for error in lost} == {"batch_exists"}
        assert all(f"该记录已有发放文件 #{winner.pk}" in error.message for error in lost)
        live = PaymentLine.objects.filter(batch__source="startup_loans.claim", batch__source_id=claim.pk,
                                          batch__status=PaymentBatch.Status.PREPARED)
        assert list(live.values_list("amount", flat=True)) == [claim.amount]
