"""The refund back office is scoped like every other face: through apps.core.scoping, failing closed."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.refunds.models import RefundResult
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(dataset, province_admin, run_now):
    return run_now(user=province_admin, region_code="220000")  # 长春 rows and one 吉林市 row


def _changelist_ids(client) -> set[int]:
    response = client.get(reverse("admin:refunds_refundresult_changelist"))
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_staff_supervisor_without_a_region_sees_no_refund_rows(run, client_for):
    nowhere = UserFactory(username="sup_nowhere", role=User.Role.SUPERVISOR, region_id=None, is_staff=True)
    assert RefundResult.objects.filter(run=run).exists()
    assert _changelist_ids(client_for(nowhere)) == set()
    assert client_for(nowhere).get(reverse("admin:refunds_refundrun_changelist")).context["cl"].result_count == 0


def test_staff_supervisor_sees_the_rows_of_their_region_only(run, supervisor, client_for):
    rows = RefundResult.objects.filter(run=run)
    assert {r.region_code[:4] for r in rows} == {"2201", "2202"}
    assert _changelist_ids(client_for(supervisor)) == {r.pk for r in rows if r.region_code.startswith("2201")}
