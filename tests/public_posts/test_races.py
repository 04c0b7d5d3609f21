"""Two placements on the last free place at the same moment (PostgreSQL, real connections): one wins, the other
is refused `post_full` — the places are never over-filled (apps.core.locks.serialize around the count)."""

from datetime import date

import pytest

from apps.core.exceptions import ConflictError
from apps.public_posts import services
from apps.public_posts.models import Placement
from tests.concurrency import postgresql_only, race  # noqa: F401 (fixture)
from tests.factories import UserFactory
from tests.public_posts.conftest import difficult_person, make_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_two_placements_at_once_fill_one_place():
    user = UserFactory(username="race_cw", role="caseworker", region_id="220102")
    post = make_post(user, places=1)
    people = [difficult_person(), difficult_person()]

    def place(person):
        return lambda: services.placement_create(post=post, person=person, start_date=date(2026, 3, 1),
                                                 agreed_end_date=date(2026, 12, 31), user=user)

    outcomes = race(*(place(p) for p in people))
    errors = [error for _, error in outcomes if error is not None]
    assert len(errors) == 1 and isinstance(errors[0], ConflictError) and errors[0].code == "post_full", outcomes
    assert Placement.objects.filter(post=post).count() == 1
