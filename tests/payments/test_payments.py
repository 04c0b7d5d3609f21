"""The payment service on a refund run: missing bank details block a file, four eyes at approval, the approval
bound to the rows' hash, the bank's return (bad rows, line numbers, all or nothing), one failure re-issued,
the reconciliation report balancing, and the run's issued → reconciled lifecycle."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from apps.core.exceptions import ApplicationError
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from apps.payments import services
from apps.payments.canonical import canonical_hash
from apps.payments.files import file_bytes
from apps.payments.models import PaymentBatch, PaymentEvent, PaymentLine
from apps.payments.selectors import source_readiness, source_report
from apps.refunds.models import RefundResult, RefundRun, RefundRunTransition
from apps.refunds.services import run_reconcile
from tests.payments.conftest import behind_the_service

SOURCE = "refunds.run"


def prepare(run, user):
    return services.batch_prepare(user=user, source_key=SOURCE, source_id=run.pk)


def approved_batch(run, maker, checker):
    batch = prepare(run, maker)
    return services.batch_approve(user=checker, batch_id=batch.pk)


def issued_batch(run, maker, checker):
    batch = approved_batch(run, maker, checker)
    return services.batch_issue(user=checker, batch_id=batch.pk)


def return_file(rows, *, xlsx=False) -> io.BytesIO:
    table = [["reference", "result", "failure_reason"], *rows]
    if xlsx:
        book = Workbook()
        for row in table:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        return buffer
    text = io.StringIO()
    csv.writer(text).writerows(table)
    return io.BytesIO(text.getvalue().encode())


def import_return(user, rows, **kwargs) -> ImportBatch:
    return import_file(kind="payment_returns", handle=return_file(rows, **kwargs), file_name="回盘.csv", user=user)


# ------------------------------------------------------------------ bank details before a file

def test_missing_bank_details_are_listed_and_block_the_file(approved_run, caseworker):
    employer = approved_run.employers[1]
    employer.bank_account = ""
    employer.save()
    readiness = source_readiness(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert not readiness.ready
    assert [row["row_key"] for row in readiness.blocking] == [str(employer.pk)]
    assert readiness.blocking[0]["problems"][0]["code"] == "bank_account_missing"
    with pytest.raises(ApplicationError) as error:
        prepare(approved_run, caseworker)
    assert error.value.code == "bank_details_missing"
    assert employer.name in error.value.fields["payees"][0]
    assert not PaymentBatch.objects.exists()


def test_a_different_account_name_is_flagged_not_blocking(approved_run, caseworker):
    employer = approved_run.employers[0]
    employer.bank_account_name = employer.name + "南关分公司"
    employer.save()
    readiness = source_readiness(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert readiness.ready and [row["row_key"] for row in readiness.flagged] == [str(employer.pk)]
    assert prepare(approved_run, caseworker).row_count == 3


def test_the_results_of_an_issued_run_stay_frozen_on_postgresql(approved_run, caseworker, supervisor):
    from django.db import IntegrityError, transaction

    issued_batch(approved_run, caseworker, supervisor)
    if connection.vendor != "postgresql":
        pytest.skip("the guard trigger is PostgreSQL's")
    with pytest.raises(IntegrityError), transaction.atomic():
        RefundResult.objects.filter(run=approved_run).update(amount=Decimal("1.00"))


def test_a_run_not_yet_approved_cannot_be_paid(approved_run, caseworker):
    RefundRun.objects.filter(pk=approved_run.pk).update(status=RefundRun.Status.COMPUTED)
    with pytest.raises(ApplicationError) as error:
        prepare(approved_run, caseworker)
    assert error.value.code == "source_not_payable"


def test_control_total_and_hash_of_the_prepared_file(approved_run, caseworker):
    batch = prepare(approved_run, caseworker)
    lines = list(batch.lines.order_by("reference"))
    assert batch.row_count == 3 and batch.total_amount == Decimal("10800.33")  # 7200.00 + 3600.23 + 0.10
    rows = [(line.reference, line.payee_code, line.payee_name, line.bank_name, line.account_number,
             line.account_name, line.amount) for line in lines]
    assert batch.sha256 == canonical_hash(purpose="2025年稳岗返还", rows=rows)[0]
    assert PaymentEvent.objects.filter(batch=batch, action="prepare", user=caseworker).exists()
    with pytest.raises(ApplicationError) as error:  # one live first file per run
        prepare(approved_run, caseworker)
    assert error.value.code == "batch_exists"


# ------------------------------------------------------------------ four eyes and the hash binding

def test_the_preparer_may_not_approve_and_a_caseworker_may_not_either(approved_run, caseworker, supervisor,
                                                                     second_supervisor):
    batch = prepare(approved_run, supervisor)
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(user=supervisor, batch_id=batch.pk)
    assert (error.value.code, error.value.status_code) == ("four_eyes", 403)
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(user=caseworker, batch_id=batch.pk)
    assert (error.value.code, error.value.status_code) == ("reviewer_required", 403)
    batch = services.batch_approve(user=second_supervisor, batch_id=batch.pk)
    assert batch.approved_sha256 == batch.sha256 and batch.approved_by == second_supervisor
    with pytest.raises(ApplicationError) as error:  # nor issue it
        services.batch_issue(user=supervisor, batch_id=batch.pk)
    assert error.value.code == "four_eyes"


def test_issuing_records_the_approved_hash_and_moves_the_run(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    assert batch.status == PaymentBatch.Status.ISSUED
    assert batch.issued_sha256 == batch.approved_sha256 == batch.sha256
    approved_run.refresh_from_db()
    assert approved_run.status == RefundRun.Status.ISSUED
    move = RefundRunTransition.objects.get(run=approved_run)
    assert (move.action, move.from_status, move.to_status, move.user) == ("issue", "approved", "issued", supervisor)
    assert batch.issued_sha256 in move.note
    assert [e.action for e in PaymentEvent.objects.filter(batch=batch)] == ["prepare", "approve", "issue"]


def _change_amount(run):
    with behind_the_service():
        RefundResult.objects.filter(run=run, employer=run.employers[0]).update(amount=Decimal("7200.01"))


def _change_account(run):
    type(run.employers[1]).objects.filter(pk=run.employers[1].pk).update(bank_account="42000211099999999")


def _change_account_name(run):
    type(run.employers[1]).objects.filter(pk=run.employers[1].pk).update(bank_account_name="别的单位")


def _change_bank(run):
    type(run.employers[2]).objects.filter(pk=run.employers[2].pk).update(bank_name="中国农业银行")


def _drop_a_row(run):
    with behind_the_service():
        RefundResult.objects.filter(run=run, employer=run.employers[2]).update(eligible=False)


def _tamper_stored_line(run):
    PaymentLine.objects.filter(batch__source_id=run.pk, row_key=str(run.employers[0].pk)).update(
        amount=Decimal("9999.00"))


def _tamper_stored_account(run):
    PaymentLine.objects.filter(batch__source_id=run.pk, row_key=str(run.employers[0].pk)).update(
        account_number="62220000000000001")


@pytest.mark.parametrize("change", [_change_amount, _change_account, _change_account_name, _change_bank, _drop_a_row,
                                    _tamper_stored_line, _tamper_stored_account])
def test_a_change_after_approval_invalidates_it_and_refuses_the_file(approved_run, caseworker, supervisor, change):
    batch = approved_batch(approved_run, caseworker, supervisor)
    change(approved_run)
    with pytest.raises(ApplicationError) as error:
        services.batch_issue(user=supervisor, batch_id=batch.pk)
    assert error.value.code == "approval_invalidated" and error.value.status_code == 409
    assert "审批已失效" in error.value.message
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.INVALIDATED  # committed although the call failed
    assert PaymentEvent.objects.filter(batch=batch, action="invalidate", user=supervisor).exists()
    with pytest.raises(ApplicationError) as error:
        file_bytes(batch, "csv")
    assert error.value.code == "batch_not_issued"
    approved_run.refresh_from_db()
    assert approved_run.status == RefundRun.Status.APPROVED


def test_without_a_change_the_same_batch_issues(approved_run, caseworker, supervisor):
    batch = approved_batch(approved_run, caseworker, supervisor)
    type(approved_run.employers[0]).objects.filter(pk=approved_run.employers[0].pk).update(contact_name="李四")
    assert services.batch_issue(user=supervisor, batch_id=batch.pk).status == PaymentBatch.Status.ISSUED


def test_a_change_before_approval_refuses_the_approval(approved_run, caseworker, supervisor):
    batch = prepare(approved_run, caseworker)
    _change_amount(approved_run)
    with pytest.raises(ApplicationError) as error:
        services.batch_approve(user=supervisor, batch_id=batch.pk)
    assert error.value.code == "disbursement_changed"


def test_an_issued_file_whose_stored_rows_were_edited_is_refused(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    assert file_bytes(batch, "csv")
    _tamper_stored_line(approved_run)
    with pytest.raises(ApplicationError) as error:
        file_bytes(batch, "xlsx")
    assert error.value.code == "disbursement_hash_mismatch"


# ------------------------------------------------------------------ the file

def test_csv_file_rows_control_line_and_hash(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    rows = list(csv.reader(io.StringIO(file_bytes(batch, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["参考号", "收款单位代码", "收款单位", "开户银行", "收款账号", "户名", "金额", "用途"]
    body, control = rows[1:-1], rows[-1]
    assert [row[6] for row in body] == ["7200.00", "3600.23", "0.10"]
    assert control[:2] == ["合计", "3"] and control[6] == "10800.33" and control[7] == f"SHA-256:{batch.issued_sha256}"
    recomputed = canonical_hash(purpose=body[0][7], rows=[(*row[:6], Decimal(row[6])) for row in body])
    assert recomputed == (batch.issued_sha256, 3, Decimal("10800.33"))  # the bank can check the file itself


def test_xlsx_file_has_decimal_amounts_and_a_control_sheet(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    book = load_workbook(io.BytesIO(file_bytes(batch, "xlsx")))
    details, control = book["发放明细"], book["控制信息"]
    amounts = [row[6] for row in details.iter_rows(min_row=2, values_only=True)]
    assert [Decimal(str(a)) for a in amounts] == [Decimal("7200.00"), Decimal("3600.23"), Decimal("0.10")]
    values = {row[0]: row[1] for row in control.iter_rows(min_row=2, values_only=True)}
    assert values["笔数"] == 3 and values["SHA-256"] == batch.issued_sha256


def test_a_payee_name_like_a_formula_is_neutralised_in_the_file_not_in_the_hash(approved_run, caseworker,
                                                                                supervisor):
    employer = approved_run.employers[0]
    type(employer).objects.filter(pk=employer.pk).update(name="=HYPERLINK(\"http://x\")", bank_account_name="=x")
    batch = issued_batch(approved_run, caseworker, supervisor)
    text = file_bytes(batch, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'=x" in text
    book = load_workbook(io.BytesIO(file_bytes(batch, "xlsx")))
    cell = book["发放明细"]["C2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    line = batch.lines.get(row_key=str(employer.pk))
    assert line.payee_name.startswith("=")  # stored and hashed as paid


# ------------------------------------------------------------------ the bank's return and reconciliation

def test_return_file_with_bad_rows_reports_every_line_and_commits_nothing(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    refs = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    result = import_return(caseworker, [
        [refs[0], "paid", ""],               # line 2: fine
        [refs[1], "failed", ""],             # line 3: failed without a reason
        ["P999999-00001", "paid", ""],       # line 4: unknown reference
        [refs[2], "maybe", ""],              # line 5: not a result
        [refs[0], "paid", ""],               # line 6: duplicate of line 2
    ])
    assert result.status == ImportBatch.Status.REJECTED
    issues = {(issue.line, issue.column) for issue in ImportIssue.objects.filter(batch=result)}
    assert issues == {(3, "failure_reason"), (4, "reference"), (5, "result"), (6, "reference")}
    assert set(batch.lines.values_list("status", flat=True)) == {PaymentLine.Status.AWAITING}


def test_return_of_another_regions_file_looks_unknown(approved_run, caseworker, supervisor, other_caseworker):
    batch = issued_batch(approved_run, caseworker, supervisor)
    ref = batch.lines.values_list("reference", flat=True).first()
    result = import_return(other_caseworker, [[ref, "paid", ""]])
    assert result.status == ImportBatch.Status.REJECTED
    assert ImportIssue.objects.get(batch=result).message.endswith("参考号不存在或不在您的经办范围内")


def test_one_failure_reissued_after_correction_balances_and_reconciles(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    refs = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    result = import_return(caseworker, [[refs[0], "成功", ""], [refs[1], "失败", "账号户名不符"], [refs[2], "paid", ""]],
                           xlsx=True)
    assert result.status == ImportBatch.Status.SUCCEEDED, result.message
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RETURNED
    report = source_report(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    figures = report["figures"]
    assert (figures["issued"]["count"], figures["paid"]["count"], figures["failed"]["count"],
            figures["open"]["count"]) == (3, 2, 1, 1)
    assert figures["failed"]["amount"] == Decimal("3600.23") and figures["paid"]["amount"] == Decimal("7200.10")
    assert report["balanced"] and not report["settled"]
    with pytest.raises(ApplicationError) as error:
        run_reconcile(run_id=approved_run.pk, user=supervisor)
    assert error.value.code == "reconciliation_open"

    # The same file again changes nothing (and is not an error).
    again = import_return(caseworker, [[refs[0], "成功", ""], [refs[1], "失败", "账号户名不符"], [refs[2], "paid", ""]])
    assert (again.status, again.rows_updated, again.rows_unchanged) == (ImportBatch.Status.SUCCEEDED, 0, 3)

    failed = batch.lines.get(reference=refs[1])
    employer = type(approved_run.employers[1]).objects.get(pk=int(failed.row_key))
    employer.bank_account = "42000211097777777"
    employer.save()
    reissue = services.lines_reissue(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert (reissue.kind, reissue.row_count, reissue.total_amount) == ("reissue", 1, Decimal("3600.23"))
    assert reissue.sha256 != batch.sha256
    new_line = reissue.lines.get()
    assert new_line.account_number == "42000211097777777" and new_line.reissue_of == failed
    failed.refresh_from_db()
    assert failed.status == PaymentLine.Status.REISSUED
    reissue = services.batch_approve(user=supervisor, batch_id=reissue.pk)
    reissue = services.batch_issue(user=supervisor, batch_id=reissue.pk)
    assert import_return(caseworker, [[new_line.reference, "paid", ""]]).status == ImportBatch.Status.SUCCEEDED

    report = source_report(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    counts = {key: value["count"] for key, value in report["figures"].items()}
    assert counts == {"issued": 4, "supplement": 0, "paid": 3, "failed": 1, "awaiting": 0, "reissued": 1, "closed": 0, "open": 0}
    assert report["figures"]["issued"]["amount"] == Decimal("14400.56")
    assert report["balanced"] and report["settled"]
    run = run_reconcile(run_id=approved_run.pk, user=supervisor, note="银行回盘全部核对")
    assert run.status == RefundRun.Status.RECONCILED
    move = RefundRunTransition.objects.filter(run=run).last()
    assert (move.action, move.user, move.note) == ("reconcile", supervisor, "银行回盘全部核对")


def test_a_failure_closed_with_a_reason_balances(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    refs = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    import_return(caseworker, [[refs[0], "paid", ""], [refs[1], "paid", ""], [refs[2], "failed", "账户已销户"]])
    line = batch.lines.get(reference=refs[2])
    with pytest.raises(ApplicationError) as error:
        services.line_close(user=caseworker, line_id=line.pk, reason="单位注销")
    assert error.value.code == "reviewer_required"
    with pytest.raises(ApplicationError) as error:
        services.line_close(user=supervisor, line_id=line.pk, reason=" ")
    assert error.value.code == "reason_required"
    services.line_close(user=supervisor, line_id=line.pk, reason="单位注销，资金退回基金")
    report = source_report(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert report["figures"]["closed"]["count"] == 1 and report["figures"]["closed"]["amount"] == Decimal("0.10")
    assert report["balanced"] and report["settled"]


def test_an_unbalanced_report_says_so(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    PaymentBatch.objects.filter(pk=batch.pk).update(row_count=4)  # a control total that the lines do not make
    report = source_report(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert not report["checks"]["issued_equals_paid_failed_awaiting"] and not report["balanced"]


def test_a_cancelled_reissue_gives_the_failure_back(approved_run, caseworker, supervisor):
    batch = issued_batch(approved_run, caseworker, supervisor)
    refs = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    import_return(caseworker, [[refs[0], "paid", ""], [refs[1], "failed", "账号错误"], [refs[2], "paid", ""]])
    reissue = services.lines_reissue(user=caseworker, source_key=SOURCE, source_id=approved_run.pk)
    services.batch_cancel(user=caseworker, batch_id=reissue.pk, note="账号仍未更正")
    assert batch.lines.get(reference=refs[1]).status == PaymentLine.Status.FAILED


# ------------------------------------------------------------------ scoping and the worklist

def test_other_region_cannot_see_prepare_or_issue(approved_run, caseworker, supervisor, other_caseworker):
    from apps.accounts.models import User
    from tests.factories import UserFactory

    jilin_supervisor = UserFactory(username="sup_jilin", role=User.Role.SUPERVISOR, region_id="220200")
    with pytest.raises(ApplicationError) as error:
        prepare(approved_run, other_caseworker)
    assert error.value.status_code == 404
    batch = prepare(approved_run, caseworker)
    for move in (services.batch_approve, services.batch_issue):
        with pytest.raises(ApplicationError) as error:
            move(user=jilin_supervisor, batch_id=batch.pk)
        assert error.value.status_code == 404
    with pytest.raises(ApplicationError) as error:
        source_report(user=other_caseworker, source_key=SOURCE, source_id=approved_run.pk)
    assert error.value.status_code == 404


def test_failed_lines_are_on_the_reissue_worklist_of_their_region_only(approved_run, caseworker, supervisor,
                                                                       other_caseworker):
    from datetime import date

    from apps.payments.worklist import REISSUE_WORKLIST

    batch = issued_batch(approved_run, caseworker, supervisor)
    refs = list(batch.lines.order_by("reference").values_list("reference", flat=True))
    import_return(caseworker, [[refs[0], "paid", ""], [refs[1], "failed", "账号错误"], [refs[2], "paid", ""]])
    items = REISSUE_WORKLIST.items(caseworker, date.today())
    assert len(items) == 1 and "账号错误" in items[0]["label"]
    assert REISSUE_WORKLIST.count(caseworker, date.today()) == 1
    assert REISSUE_WORKLIST.items(other_caseworker, date.today()) == []
