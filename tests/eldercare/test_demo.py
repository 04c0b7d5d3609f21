"""The demo step: institutions, staff, a published 黑名单 entry and claims; a second run adds nothing."""

import random

import pytest

from apps.accounts import demo as accounts_demo
from apps.applicants import demo as applicants_demo
from apps.eldercare import demo
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember
from apps.portal.management.commands.seed_demo import SEED_STEPS

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(model.objects.count() for model in (Institution, StaffMember, BlacklistEntry, IncentiveClaim))


def test_demo_is_idempotent_and_in_seed_steps():
    assert "apps.eldercare.demo.seed" in SEED_STEPS
    accounts_demo.seed(rng=random.Random(2026))
    applicants_demo.seed(rng=random.Random(2026))
    demo.seed(rng=random.Random(2026))
    first = _counts()
    assert first[0] == 3 and first[1] >= 3 and first[2] == 1 and first[3] >= 1
    assert BlacklistEntry.objects.get().publicity_ends_on is not None
    demo.seed(rng=random.Random(2026))
    assert _counts() == first
    # the listed institution's staff got no claim (黑名单), the others did
    assert not IncentiveClaim.objects.filter(institution__blacklist_entries__isnull=False).exists()
