"""refund_run / refund_export / seed_benchmark, as scripts use them."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from apps.refunds.models import RefundResult, RefundRun
from tests.refunds.conftest import CASES, YEAR

pytestmark = pytest.mark.django_db(transaction=True)  # the command's on_commit must really fire


def test_refund_run_prints_a_summary_and_the_run_id_alone_on_the_last_line(dataset):
    out = StringIO()
    call_command("refund_run", "--year", str(YEAR), "--region", "220102", stdout=out, stderr=StringIO())
    lines = out.getvalue().strip().splitlines()
    run = RefundRun.objects.get(pk=int(lines[-1]))
    assert run.status == RefundRun.Status.COMPUTED and run.is_official
    assert "返还总额" in out.getvalue() and "arrears" in out.getvalue()


def test_refund_run_dry_run_with_override(dataset):
    out = StringIO()
    call_command("refund_run", "--year", str(YEAR), "--region", "220102", "--dry-run",
                 "--override", "stable_job_refund.sme_rate=70", stdout=out, stderr=StringIO())
    run = RefundRun.objects.get(pk=int(out.getvalue().strip().splitlines()[-1]))
    assert not run.is_official and run.overrides == {"stable_job_refund.sme_rate": "70"}
    assert RefundResult.objects.get(run=run, employer=dataset["baseline"]).amount == 8400


def test_refund_export_writes_one_row_per_employer(dataset, tmp_path):
    out = StringIO()
    call_command("refund_run", "--year", str(YEAR), "--region", "220102", stdout=out, stderr=StringIO())
    run_id = out.getvalue().strip().splitlines()[-1]
    target = tmp_path / "list.csv"
    call_command("refund_export", run_id, "--out", str(target), stdout=StringIO())
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(CASES)
    assert {"uscc", "name", "decision", "reasons", "size_class", "rate", "contributions_paid", "amount"} <= set(rows[0])
    xlsx = tmp_path / "list.xlsx"
    call_command("refund_export", run_id, "--out", str(xlsx), "--format", "xlsx", stdout=StringIO())
    assert xlsx.stat().st_size > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_benchmark writes with PostgreSQL SQL")
def test_seed_benchmark_then_a_run_reconciles():
    call_command("seed_benchmark", "--employers", "300", "--months", "24", stdout=StringIO())
    from apps.employers.models import Contribution

    assert Contribution.objects.count() == 300 * 24
    out = StringIO()
    call_command("refund_run", "--year", "2025", "--chunk-size", "64", stdout=out, stderr=StringIO())
    run = RefundRun.objects.get(pk=int(out.getvalue().strip().splitlines()[-1]))
    assert run.status == RefundRun.Status.COMPUTED and run.rows_written == 300
    # every reason occurs in the synthetic data
    reasons = set(";".join(RefundResult.objects.filter(run=run).values_list("reasons", flat=True)).split(";"))
    assert {"insufficient_months", "arrears", "layoff_rate_exceeded", "serious_dishonesty"} <= reasons
