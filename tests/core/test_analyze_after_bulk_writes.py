"""Planner statistics are refreshed after every bulk write: a finished refund run, a committed import.

Both go through apps.core.db.analyze_tables (ANALYZE after the commit, PostgreSQL only). The face tests
watch `analyze_now` (what runs after the commit); on PostgreSQL a test also reads pg_class.reltuples, which
ANALYZE sets to the rows it found.
"""

from datetime import date
from unittest import mock

import pytest
from django.db import connection

from apps.core.db import analyze_now, analyze_tables
from apps.employers.models import Contribution, Employer
from apps.imports.models import ImportBatch
from apps.imports.services import import_file
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.services import run_start
from tests.factories import ContributionFactory, EmployerFactory
from tests.imports.helpers import CONTRIBUTION_HEADER, EMPLOYER_HEADER, csv_file, employer_row, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched():
    """The table names analysed after each commit, in order."""
    calls: list[list[str]] = []

    def record(tables, *, using="default"):
        calls.append(list(tables))
        return list(tables)

    with mock.patch("apps.core.db.analyze_now", side_effect=record):
        yield calls


def test_a_finished_refund_run_analyses_its_results(caseworker, watched, django_capture_on_commit_callbacks):
    employer = EmployerFactory()
    for month in range(1, 13):
        ContributionFactory(employer=employer, period=date(2024, month, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(user=caseworker, year=2025, region_code="220102")
    run.refresh_from_db()
    assert run.status == RefundRun.Status.COMPUTED, run.failure
    assert watched == [[RefundResult._meta.db_table]]


CONTRIBUTIONS = "\n".join(f"{uscc(1)},2024-{m:02d},10,520.00,364.00,156.00," for m in range(1, 4))


@pytest.mark.parametrize(("kind", "header", "rows", "analysed"), [
    ("employers", EMPLOYER_HEADER, [employer_row(1), employer_row(2)], [[Employer._meta.db_table]]),
    ("contributions", CONTRIBUTION_HEADER, CONTRIBUTIONS.split("\n"), [[Contribution._meta.db_table]]),
    ("employers", EMPLOYER_HEADER, [employer_row(1), "not,a,valid,row"], []),  # rejected: nothing written
], ids=["employers", "contributions", "rejected"])
def test_a_committed_import_analyses_the_tables_it_wrote(kind, header, rows, analysed, watched,
                                                          django_capture_on_commit_callbacks):
    if kind == "contributions":
        import_file(kind="employers", handle=csv_file(EMPLOYER_HEADER, employer_row(1)), file_name="e.csv",
                    source="command")
        watched.clear()
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_file(kind=kind, handle=csv_file(header, *rows), file_name="f.csv", source="command")
    assert batch.status == (ImportBatch.Status.SUCCEEDED if analysed else ImportBatch.Status.REJECTED)
    assert watched == analysed


def test_analysis_waits_for_the_commit_and_names_each_table_once(watched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        analyze_tables(Employer, "employers_employer", Contribution)
    assert watched == []  # not yet: the transaction has not committed
    for callback in callbacks:
        callback()
    assert watched == [["employers_employer", "employers_contribution"]]  # once each


def test_analyze_now_on_each_database():
    EmployerFactory.create_batch(3)
    analysed = analyze_now([Employer])
    if connection.vendor != "postgresql":
        assert analysed == []  # SQLite keeps no planner statistics to refresh
        return
    assert analysed == [Employer._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Employer._meta.db_table])
        assert cursor.fetchone()[0] == 3  # what ANALYZE counted (the rows this transaction sees)


def test_an_unchanged_reimport_analyses_nothing(watched, django_capture_on_commit_callbacks):
    """Nothing written, the statistics stand: the re-import of the same file does not ANALYZE (a changed row does)."""
    import_file(kind="employers", handle=csv_file(EMPLOYER_HEADER, employer_row(1)), file_name="e.csv",
                source="command")
    rows = CONTRIBUTIONS.split("\n")
    for expected in ([[Contribution._meta.db_table]], []):
        watched.clear()
        with django_capture_on_commit_callbacks(execute=True):
            batch = import_file(kind="contributions", handle=csv_file(CONTRIBUTION_HEADER, *rows), file_name="c.csv",
                                source="command")
        assert batch.status == ImportBatch.Status.SUCCEEDED and watched == expected
    watched.clear()
    with django_capture_on_commit_callbacks(execute=True):
        import_file(kind="contributions", handle=csv_file(CONTRIBUTION_HEADER, rows[0].replace("520.00", "521.00")),
                    file_name="c.csv", source="command")
    assert watched == [[Contribution._meta.db_table]]
