"""Two supplementary files asked for at the same instant pay the released row once. Real concurrency: threads
with their own PostgreSQL connections released together by a barrier (tests/concurrency.py). PostgreSQL only:
the SQLite test database is one in-memory connection."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.exceptions import ConflictError
from apps.objections.models import Objection
from apps.payments import services
from apps.payments.models import PaymentBatch, PaymentLine
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]
SOURCE = "refunds.run"
ROUNDS = 5


def test_two_supplementary_files_at_the_same_instant_pay_the_row_once(approved_run, caseworker, supervisor,
                                                                      second_supervisor):
    held = approved_run.employers[0]
    result = approved_run.results.get(employer=held)
    objection = Objection.objects.create(
        source="refund-run", record_id=approved_run.pk, row_key=str(held.pk), result_id=result.pk,
        region_id="220102", subject_name=held.name, disputed_item="amount", disputed_label="返还金额",
        grounds="金额有误", channel="on_behalf", entered_by=caseworker,
        deadline=timezone.localdate() + timedelta(days=1), status=Objection.Status.UNDER_REVIEW)
    first = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    services.batch_approve(user=supervisor, batch_id=first.pk)
    services.batch_issue(user=supervisor, batch_id=first.pk)
    assert str(held.pk) not in set(first.lines.values_list("row_key", flat=True))
    Objection.objects.filter(pk=objection.pk).update(status=Objection.Status.REJECTED)  # the hold is released

    twice = 0
    for round_ in range(ROUNDS):
        outcomes = race(*[lambda u=user: services.supplement_prepare(user=u, source_key=SOURCE,
                                                                      source_id=approved_run.pk)
                          for user in (caseworker, supervisor, second_supervisor)])
        made = [batch for batch, _ in outcomes if batch is not None]
        errors = [error for _, error in outcomes if error is not None]
        assert all(isinstance(error, ConflictError) for error in errors), errors
        live = PaymentLine.objects.filter(row_key=str(held.pk), batch__status=PaymentBatch.Status.PREPARED).count()
        twice += live - 1
        assert (len(made), live) == (1, 1), outcomes
        # cancelled, the row is due again: the next round races for it afresh
        services.batch_cancel(user=supervisor, batch_id=made[0].pk, note=f"第 {round_ + 1} 轮")
    print(f"\nsupplementary files: {ROUNDS} rounds of 3 requests, {twice} rows paid twice")
