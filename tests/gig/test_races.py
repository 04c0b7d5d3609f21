"""The last place of a posting, placed by three caseworkers at the same instant (real connections; PostgreSQL
only, like tests/security/test_races.py): one placement, the others refused with a 409."""

import pytest

from apps.core.exceptions import ConflictError
from apps.gig import services
from apps.gig.models import Placement
from tests.concurrency import postgresql_only, race  # noqa: F401 (postgresql_only: a fixture)
from tests.gig.conftest import START, make_posting, make_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_three_placements_on_the_last_place_at_the_same_instant_place_one(caseworker):
    rounds, overfilled = 4, 0
    for _ in range(rounds):
        posting = make_posting(caseworker, headcount=1)
        workers = [make_worker(caseworker) for _ in range(3)]
        outcomes = race(*[lambda w=w, p=posting: services.placement_create(posting=p, availability=w, start_date=START,
                                                                user=caseworker) for w in workers])
        assert all(error is None or isinstance(error, ConflictError) for _, error in outcomes), outcomes
        placed = Placement.objects.filter(posting=posting).count()
        overfilled += placed - 1
        assert placed == 1
    print(f"\ngig placements: {rounds} races of 3, {overfilled} over the headcount")
