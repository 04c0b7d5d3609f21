import random

from apps.accounts import demo as accounts_demo
from apps.applicants.models import StatusTag
from apps.fraud import demo
from apps.fraud.models import FraudCase


def test_demo_cases_in_several_states_and_idempotent(db):
    accounts_demo.seed(rng=random.Random(1))
    demo.seed(rng=random.Random(1))
    states = set(FraudCase.objects.values_list("status", flat=True))
    assert states == set(FraudCase.Status.values)
    assert FraudCase.objects.count() == len(demo.CASES)
    tags = StatusTag.objects.filter(tag=StatusTag.Tag.DIRECT_SETTLEMENT_SUSPENDED)
    assert tags.count() == 3  # 已生效, 申诉中 and the revoked one (ended)
    demo.seed(rng=random.Random(1))
    assert FraudCase.objects.count() == len(demo.CASES)
