"""A single employer's result on screen (employer page, API) always equals its row in a run."""

from datetime import date

import pytest

from apps.eligibility.calculators import stable_job_refund
from apps.eligibility.parameters import parameter_snapshot
from apps.employers.eligibility_facts import employer_facts
from apps.refunds.models import RefundResult
from tests.refunds.conftest import YEAR

pytestmark = pytest.mark.django_db


def test_every_hand_checked_employer_gets_the_same_decision_and_amount_on_screen(dataset, run_now, supervisor):
    run = run_now(user=supervisor)
    rows = {row.employer_id: row for row in RefundResult.objects.filter(run=run)}
    assert len(rows) == len(dataset) - 1  # the 吉林市 employer is outside the 长春 run
    snapshot = parameter_snapshot(as_of=date(YEAR - 1, 12, 31), region_code="220102")
    for key, employer in dataset.items():
        if key == "other_city":
            continue
        on_screen = stable_job_refund.calculate(employer_facts(employer, YEAR - 1), snapshot)
        row = rows[employer.pk]
        assert (on_screen.eligible, on_screen.amount, on_screen.data.get("size_class")) == (
            row.eligible, row.amount, row.size_class), key
        assert ";".join(r.code for r in on_screen.reasons) == row.reasons, key
