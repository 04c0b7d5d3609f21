"""Two objections against the same result lodged at the same instant — one at the counter, one through the
API — leave one open objection; the other is told it already exists (409 objection_already_open). Real
concurrency (tests/concurrency.py): PostgreSQL only."""

import pytest

from apps.core.exceptions import ConflictError
from apps.objections import services
from apps.objections.models import Objection, ObjectionEvent
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.refunds.test_objections import lodge

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]
ROUNDS = 4


def test_two_objections_on_one_row_at_the_same_instant_open_one(publicizing_run, dataset, caseworker,
                                                                 integration_client):
    run = publicizing_run
    employer = dataset["baseline"]
    duplicates = 0
    for _round in range(ROUNDS):
        outcomes = race(lambda: lodge(caseworker, run, employer),
                        lambda: lodge(integration_client, run, employer, channel="api", code=employer.uscc))
        errors = [error for _, error in outcomes if error is not None]
        assert len(errors) == 1, outcomes
        assert isinstance(errors[0], ConflictError) and errors[0].code == services.ALREADY_OPEN, errors
        open_ones = Objection.objects.filter(source="refund-run", record_id=run.pk, row_key=str(employer.pk),
                                             status__in=Objection.OPEN)
        duplicates += max(open_ones.count() - 1, 0)
        assert open_ones.count() == 1
        winner = open_ones.get()
        assert ObjectionEvent.objects.filter(objection=winner, action="lodge").count() == 1
        Objection.objects.filter(pk=winner.pk).update(status=Objection.Status.REJECTED)  # closed: the next round
    print(f"objection race: {ROUNDS} rounds, {duplicates} duplicates")
    assert Objection.objects.filter(source="refund-run", record_id=run.pk).count() == ROUNDS
