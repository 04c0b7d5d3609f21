"""Two people prepare the 岗位补贴 file of the same approved run at the same instant: one file, each person once.
Real concurrency on PostgreSQL (tests/concurrency.py); skipped on SQLite (one in-memory connection)."""

import pytest

from apps.core.exceptions import ConflictError
from apps.payments import services as payments
from apps.payments.models import PaymentBatch, PaymentLine
from apps.public_posts.payments import PERSONAL_SOURCE
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.public_posts.test_payments import approved_run, reviewer  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]
ROUNDS = 5


def test_two_files_for_one_run_at_the_same_instant_make_one(approved_run, caseworker, reviewer):  # noqa: F811
    from apps.accounts.models import User
    from tests.factories import UserFactory

    second = UserFactory(username="cw_nanguan_2", role=User.Role.CASEWORKER, region_id="220102")
    people = approved_run.lines.count()
    for round_ in range(ROUNDS):
        outcomes = race(*[lambda u=user: payments.batch_prepare(user=u, source_key=PERSONAL_SOURCE,
                                                                 source_id=approved_run.pk)
                          for user in (caseworker, second)])
        made = [batch for batch, _ in outcomes if batch is not None]
        errors = [error for _, error in outcomes if error is not None]
        assert all(isinstance(error, ConflictError) for error in errors), errors
        live = PaymentLine.objects.filter(batch__source=PERSONAL_SOURCE, batch__source_id=approved_run.pk,
                                          batch__status=PaymentBatch.Status.PREPARED).count()
        assert (len(made), live) == (1, people), outcomes
        payments.batch_cancel(user=reviewer, batch_id=made[0].pk, note=f"第 {round_ + 1} 轮")
