"""An approved official refund run in 南关区 (220102) with eligible employers whose bank details are complete,
plus one ineligible employer (nothing to pay). Results are written directly: the payment does not care how
they were computed (tests/refunds covers that)."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection

from apps.refunds.models import RefundResult, RefundRun
from tests.factories import EmployerFactory

AMOUNTS = (Decimal("7200.00"), Decimal("3600.23"), Decimal("0.10"))


def bank_for(employer, n: int) -> dict:
    return {"bank_name": "中国工商银行长春南关支行", "bank_account": f"42000211090{n:08d}",
            "bank_account_name": employer.name}


def add_result(run, employer, amount: Decimal, eligible: bool = True) -> RefundResult:
    return RefundResult.objects.create(
        run=run, employer=employer, region_code=employer.region_id, entity_type="enterprise", industry="industry",
        employees=50, months_paid_in_full=24, has_arrears=False, serious_dishonesty=False, headcount_start=50,
        headcount_end=50, contributions_paid=amount, size_class="small", eligible=eligible, rate=Decimal("60.00"),
        amount=amount if eligible else Decimal("0.00"), parameter_versions="{}")


def make_employers(run, count: int, start: int = 0, amounts=AMOUNTS):
    employers = []
    for i in range(count):
        employer = EmployerFactory(region_id=run.region_id)
        for name, value in bank_for(employer, start + i).items():
            setattr(employer, name, value)
        employer.save()
        add_result(run, employer, amounts[i % len(amounts)])
        employers.append(employer)
    return employers


@pytest.fixture
def approved_run(caseworker, supervisor):
    run = RefundRun.objects.create(year=2025, region_id="220102", status=RefundRun.Status.APPROVED, chunk_size=100,
                                   started_by=caseworker, decided_by=supervisor)
    employers = make_employers(run, 3)
    add_result(run, EmployerFactory(region_id="220102"), Decimal("0"), eligible=False)  # no bank details, not paid
    run.employers = employers
    return run


@pytest.fixture
def second_supervisor(db):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(username="sup_changchun_2", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)


@contextmanager
def behind_the_service():
    """Change frozen refund results as an operator with direct SQL access could: PostgreSQL's guard trigger
    (refunds migration 0002) is lifted for the block; SQLite has none. The payment's hash check must still
    catch the change."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
