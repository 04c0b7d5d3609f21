"""A computed official refund run in 南关区 with eligible and ineligible results written directly (how they
were computed is tests/refunds'), started by the caseworker; two reviewers besides the starter."""

from decimal import Decimal

import pytest

from apps.accounts.models import User
from apps.refunds.models import RefundRun
from tests.factories import EmployerFactory, UserFactory
from tests.payments.conftest import add_result


def computed_run(starter, *, official: bool = True, region_id: str = "220102") -> RefundRun:
    return RefundRun.objects.create(year=2025, region_id=region_id, status=RefundRun.Status.COMPUTED, chunk_size=100,
                                    started_by=starter, is_official=official)


def add_employers(run: RefundRun, count: int, *, start: int = 0) -> list:
    employers = []
    for i in range(count):
        employer = EmployerFactory(region_id=run.region_id, name=f"公示测试{start + i}有限公司",
                                   bank_name="中国工商银行长春南关支行", bank_account=f"6222000011{start + i:08d}",
                                   bank_account_name=f"公示测试{start + i}有限公司")
        add_result(run, employer, Decimal("3600.23") + i)
        employers.append(employer)
    return employers


@pytest.fixture
def run(caseworker):
    run = computed_run(caseworker)
    run.employers = add_employers(run, 3)
    run.ineligible = EmployerFactory(region_id="220102", name="不符合条件有限公司")
    add_result(run, run.ineligible, Decimal("0"), eligible=False)
    return run


@pytest.fixture
def reviewer_b(db):
    return UserFactory(username="sup_nanguan_b", role=User.Role.SUPERVISOR, region_id="220102", is_staff=True)
