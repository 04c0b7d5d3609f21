"""Contributions partitioned by year on PostgreSQL (migration employers 0010, apps/employers/partitions.py)."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.exceptions import ApplicationError
from apps.employers.models import Contribution
from apps.employers.partitions import oldest_needed_year, partition_detach, partitions_list
from apps.employers.refund_facts import facts_rows
from tests.factories import ContributionFactory, EmployerFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's; SQLite keeps one contributions table (the migration skips it)")


def _partition_of(contribution) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM employers_contribution WHERE id = %s", [contribution.pk])
        return cursor.fetchone()[0]


def test_one_partition_a_year_and_a_default():
    names = [p.name for p in partitions_list()]
    assert len(names) == 42 and "employers_contribution_y2000" in names and "employers_contribution_y2040" in names
    assert "employers_contribution_default" in names
    employer = EmployerFactory()
    assert _partition_of(ContributionFactory(employer=employer, period=date(2024, 6, 1))) == "employers_contribution_y2024"
    assert _partition_of(ContributionFactory(employer=employer, period=date(1998, 6, 1))) == "employers_contribution_default"
    # Django still addresses rows by id, and (employer, period) is still unique across partitions.
    row = Contribution.objects.get(employer=employer, period=date(2024, 6, 1))
    Contribution.objects.filter(pk=row.pk).update(insured_headcount=7)
    assert Contribution.objects.get(pk=row.pk).insured_headcount == 7


def test_the_refund_facts_statement_reads_no_year_after_the_facts_year():
    employer = EmployerFactory()
    for year in (2023, 2024, 2025, 2026):
        ContributionFactory(employer=employer, period=date(year, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = list(facts_rows(employer_ids=[employer.pk], year=2025, region_prefix="22"))  # facts year 2024
    assert len(rows) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries.captured_queries[-1]["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "employers_contribution_y2024" in plan and "employers_contribution_y2023" in plan
    assert "employers_contribution_y2025" not in plan and "employers_contribution_y2026" not in plan


@pytest.mark.parametrize(("year", "code"), [
    (oldest_needed_year(TODAY), "partition_in_use"),       # 2021: inside the 60-month streak of facts year 2025
    (oldest_needed_year(TODAY) - 1, None),                 # 2020: outside it, all paid: detached
    (1990, "partition_not_found"),                         # the default partition is not a year's
])
def test_detach_a_settled_old_year_only(year, code):
    if code:
        with pytest.raises(ApplicationError) as refused:
            partition_detach(year=year, today=TODAY)
        assert refused.value.code == code
        return
    ContributionFactory(period=date(year, 5, 1))
    assert partition_detach(year=year, today=TODAY) == f"employers_contribution_y{year}"
    assert not Contribution.objects.filter(period__year=year).exists()
    assert f"employers_contribution_y{year}" not in [p.name for p in partitions_list()]
    with connection.cursor() as cursor:  # the year is a table of its own now, rows intact
        cursor.execute(f"SELECT COUNT(*) FROM employers_contribution_y{year}")
        assert cursor.fetchone()[0] == 1


def test_a_year_with_arrears_is_not_detached():
    assert oldest_needed_year(TODAY) == 2021
    ContributionFactory(period=date(2019, 5, 1), paid_employer=Decimal("699.99"))  # 0.01 short
    with pytest.raises(ApplicationError) as refused:
        partition_detach(year=2019, today=TODAY)
    assert refused.value.code == "partition_has_arrears" and "1 条" in refused.value.message


def test_the_command_lists_and_refuses_in_chinese():
    out = StringIO()
    call_command("contribution_partitions", stdout=out)
    assert "employers_contribution_y2024\tFOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" in out.getvalue()
    with pytest.raises(CommandError, match="连续足额缴费月数"):
        call_command("contribution_partitions", "--detach", str(date.today().year))
