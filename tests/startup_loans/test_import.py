"""The bank's repayment schedule through the shared import service: a good file writes the periods (a re-import is a
no-op, a change updates); every bad row is reported with its line number and nothing is written; another region's
loan, a loan not approved, a period past the term and a change to a claimed period are refused."""

from datetime import date
from decimal import Decimal

import pytest

from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from apps.startup_loans import services
from apps.startup_loans.models import RepaymentPeriod
from tests.imports.helpers import csv_file
from tests.startup_loans.conftest import approved_application, make_application, target_person

pytestmark = pytest.mark.django_db

HEADER = "loan_reference,period,due_date,principal,interest,paid_date"
KIND = "startup_loan_repayments"


def run(handle, user):
    return import_file(kind=KIND, handle=handle, file_name="repayments.csv", user=user, source="test")


def issues(batch):
    return list(ImportIssue.objects.filter(batch=batch).order_by("line", "id").values_list("line", "column", "message"))


@pytest.fixture
def loan(caseworker, supervisor):
    return approved_application(caseworker, supervisor)


def test_good_file_writes_the_schedule_and_reimport_is_a_noop(caseworker, loan):
    rows = [f"{loan.reference},1,2026-04-01,8000.00,583.33,2026-04-01",
            f"{loan.reference},2,2026-05-01,8000.00,560.00,"]
    batch = run(csv_file(HEADER, *rows), caseworker)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
    assert (batch.rows_created, batch.rows_updated) == (2, 0)
    first = RepaymentPeriod.objects.get(application=loan, period=1)
    assert first.interest == Decimal("583.33") and first.paid_date == date(2026, 4, 1)
    assert first.import_batch == batch and first.region_id == "220102"
    assert RepaymentPeriod.objects.get(application=loan, period=2).paid_date is None
    again = run(csv_file(HEADER, *rows), caseworker)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    paid = run(csv_file(HEADER, f"{loan.reference},2,2026-05-01,8000.00,560.00,2026-05-02"), caseworker)
    assert paid.rows_updated == 1 and RepaymentPeriod.objects.get(period=2).paid_date == date(2026, 5, 2)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(caseworker, other_caseworker, supervisor,
                                                                         loan):
    submitted = make_application(caseworker, person=target_person())
    other = approved_application(other_caseworker, supervisor.__class__.objects.create(
        username="sup_jl", role="supervisor", region_id="220200"))
    rows = [
        f"{loan.reference},1,2026-04-01,8000.00,583.33,2026-04-01",  # line 2: good
        f"{loan.reference},x,2026-04-01,8000.00,583.33,",  # 3: period not a number
        f"{loan.reference},2,2026-02-30,8000.00,583.33,",  # 4: no such day
        f"{loan.reference},3,2026-06-01,-1,583.33,",  # 5: negative principal
        f"{loan.reference},4,2026-07-01,8000.00,5.555,",  # 6: three decimals
        "CDB000000000000,1,2026-04-01,1.00,1.00,",  # 7: unknown loan
        f"{submitted.reference},1,2026-04-01,1.00,1.00,",  # 8: not approved
        f"{other.reference},1,2026-04-01,1.00,1.00,",  # 9: another region's loan
        f"{loan.reference},25,2028-04-01,1.00,1.00,",  # 10: past the 24-month term
        f"{loan.reference},1,2026-04-01,8000.00,583.33,2026-04-01",  # 11: duplicate of line 2
        f"{loan.reference},5,2026-08-01,8000.00,,",  # 12: interest missing
        f"{loan.reference},6,2026-09-01,8000.00,1.00,2020-01-01",  # 13: paid before the application
    ]
    batch = run(csv_file(HEADER, *rows), caseworker)
    assert batch.status == ImportBatch.Status.REJECTED
    lines = {line for line, _, _ in issues(batch)}
    assert lines == set(range(3, 14)), issues(batch)
    messages = dict(((line, column), message) for line, column, message in issues(batch))
    assert "贷款编号不存在或不在您的经办区划内" in messages[(7, "loan_reference")]
    assert "贷款编号不存在或不在您的经办区划内" in messages[(9, "loan_reference")]
    assert "只有审核通过的贷款" in messages[(8, "loan_reference")]
    assert "超过贷款期限 24 个月" in messages[(10, "period")]
    assert not RepaymentPeriod.objects.exists()  # the good line 2 is not written either


def test_a_claimed_period_may_not_change(caseworker, loan):
    run(csv_file(HEADER, f"{loan.reference},1,2026-04-01,8000.00,583.33,2026-04-01"), caseworker)
    services.claim_create(application=loan, user=caseworker)
    same = run(csv_file(HEADER, f"{loan.reference},1,2026-04-01,8000.00,583.33,2026-04-01"), caseworker)
    assert same.status == ImportBatch.Status.SUCCEEDED and same.rows_unchanged == 1
    changed = run(csv_file(HEADER, f"{loan.reference},1,2026-04-01,8000.00,600.00,2026-04-01"), caseworker)
    assert changed.status == ImportBatch.Status.REJECTED
    ((line, column, message),) = issues(changed)
    assert line == 2 and "已申请贴息" in message
    assert RepaymentPeriod.objects.get().interest == Decimal("583.33")


def test_chinese_headers_are_accepted(caseworker, loan):
    header = "贷款编号,期次,应还日期,应还本金,应付利息,实际还款日期"
    batch = run(csv_file(header, f"{loan.reference},1,2026-04-01,8000.00,583.33,"), caseworker)
    assert batch.status == ImportBatch.Status.SUCCEEDED, issues(batch)
