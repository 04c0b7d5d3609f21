"""Two people prepare a disbursement file for the same approved claim at the same instant: one file, the claim
once. Real concurrency: threads with their own PostgreSQL connections released together by a barrier
(tests/concurrency.py). PostgreSQL only: the SQLite test database is one in-memory connection."""

import pytest

from apps.core.exceptions import ConflictError
from apps.eldercare.payments import PERSONAL_SOURCE
from apps.payments import services as payments
from apps.payments.models import PaymentBatch, PaymentLine
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.eldercare.test_payments import approved, with_bank

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]
ROUNDS = 5


def test_two_files_for_one_claim_at_the_same_instant_make_one(caseworker, supervisor, staff):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    with_bank(staff.person)
    claim = approved(caseworker, supervisor, staff)
    second = UserFactory(username="cw_nanguan_2", role=User.Role.CASEWORKER, region_id="220102")
    for round_ in range(ROUNDS):
        outcomes = race(*[lambda u=user: payments.batch_prepare(user=u, source_key=PERSONAL_SOURCE,
                                                                 source_id=claim.pk)
                          for user in (caseworker, second)])
        made = [batch for batch, _ in outcomes if batch is not None]
        errors = [error for _, error in outcomes if error is not None]
        assert all(isinstance(error, ConflictError) for error in errors), errors
        live = PaymentLine.objects.filter(batch__source=PERSONAL_SOURCE, batch__source_id=claim.pk,
                                          batch__status=PaymentBatch.Status.PREPARED).count()
        assert (len(made), live) == (1, 1), outcomes
        payments.batch_cancel(user=supervisor, batch_id=made[0].pk, note=f"第 {round_ + 1} 轮")
