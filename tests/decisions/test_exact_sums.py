"""Fault 1 of issue 12, the same class elsewhere: money added up in SQL (refund run totals and their
reconciliation, childcare subsidy totals, training wages and subsidies paid) is exact on every backend.

On SQLite a plain Sum of a DecimalField is a float sum read back to 15 significant digits, so a total
that needs 16 digits loses its fen. The columns allow 999,999,999,999.99; eleven of those add up to
10,999,999,999,999.89 — a figure PostgreSQL adds exactly, and so must SQLite.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.selectors import dashboard_summary
from apps.core.money_sql import MoneySum, stored_decimal, stored_fen
from apps.refunds.models import RefundChunk, RefundResult, RefundRun
from apps.refunds.selectors import run_summary
from apps.refunds.services.computing import run_finalize
from apps.training.indicators import indicator_rows
from apps.training.models import Enrollment, TrainingSubsidyClaim
from tests.childcare.factories import InstitutionFactory
from tests.factories import EmployerFactory
from tests.training.conftest import make_enrollment, make_program, walk_to

pytestmark = pytest.mark.django_db

LARGEST = Decimal("999999999999.99")  # max_digits 14, decimal_places 2
AMOUNTS = [LARGEST - n for n in range(11)]
EXACT = sum(AMOUNTS, Decimal("0.00"))  # 10,999,999,999,944.89: 16 significant digits


def test_stored_values_are_read_back_exactly():
    assert stored_decimal(1234.57) == Decimal("1234.57")
    assert stored_decimal(0.1 + 0.2) == Decimal("0.3")
    assert 5349.19 + 2472.94 < 7822.13  # what SQLite did with the columns
    assert stored_fen(5349.19) + stored_fen(2472.94) == stored_fen(7822.13)  # what it does now
    assert stored_fen(float(LARGEST)) == 99999999999999
    assert stored_fen(1200) == 120000
    assert stored_fen("0.07") == 7
    with pytest.raises(ValueError, match="fen"):
        stored_fen("0.001")


def _run(user) -> RefundRun:
    return RefundRun.objects.create(year=2025, region_id="220100", chunk_size=100, started_by=user,
                                    status=RefundRun.Status.COMPUTING, employers_expected=len(AMOUNTS))


def _results(run: RefundRun) -> None:
    employer = EmployerFactory()
    RefundResult.objects.bulk_create(
        RefundResult(run=run, employer_id=employer.pk + n, region_code="220102", entity_type="enterprise",
                     industry="industry", months_paid_in_full=12, has_arrears=False, serious_dishonesty=False,
                     headcount_start=50, headcount_end=50, contributions_paid=amount, size_class="small",
                     eligible=True, rate=Decimal("60.00"), amount=amount, parameter_versions="1")
        for n, amount in enumerate(AMOUNTS))


def test_refund_run_reconciles_and_totals_exactly(supervisor):
    run = _run(supervisor)
    _results(run)
    RefundChunk.objects.create(run=run, lo_id=0, hi_id=10**9, status=RefundChunk.Status.DONE, rows=len(AMOUNTS),
                               eligible=len(AMOUNTS), amount=EXACT)
    run = run_finalize(run_id=run.pk)
    assert run.failure == ""
    assert run.status == RefundRun.Status.COMPUTED
    assert run_summary(run=run)["amount"] == EXACT


def test_money_sum_is_exact_and_none_for_no_rows(supervisor):
    run = _run(supervisor)
    _results(run)
    assert RefundResult.objects.aggregate(total=MoneySum("amount"))["total"] == EXACT
    assert RefundResult.objects.filter(eligible=False).aggregate(total=MoneySum("amount"))["total"] is None
    by_class = RefundResult.objects.values("size_class").annotate(total=MoneySum("amount", filter=None))
    assert [row["total"] for row in by_class] == [EXACT]


def test_childcare_subsidy_totals_are_exact(supervisor):
    for amount in AMOUNTS:
        OperatingSubsidyClaim.objects.create(institution=InstitutionFactory(), year=2025, amount=amount,
                                             status=OperatingSubsidyClaim.Status.APPROVED)
    summary = dashboard_summary(user=supervisor)
    assert [row["approved"] for row in summary["subsidy_by_year"]] == [EXACT]
    assert summary["totals"]["approved"] == EXACT


def test_training_wages_and_subsidies_paid_are_exact(occupations, caseworker, supervisor):
    program = make_program(occupations, name="合计班")
    for _ in AMOUNTS:
        walk_to(make_enrollment(program, caseworker), "paid", supervisor, caseworker)
    for enrollment, claim, amount in zip(Enrollment.objects.order_by("pk"),
                                         TrainingSubsidyClaim.objects.order_by("pk"), AMOUNTS, strict=True):
        Enrollment.objects.filter(pk=enrollment.pk).update(monthly_wage=amount)
        TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(amount=amount)
    (row,), total = indicator_rows(user=supervisor, dimension="program")
    assert row.subsidy_paid == EXACT
    assert row.wage_total == EXACT
    assert total.subsidy_paid == EXACT
