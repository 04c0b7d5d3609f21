"""补充发放: a row held by an open objection when the run's first file was made is paid in a supplementary file
once the objection is decided — the original result when rejected, the new version's amount when upheld,
nothing when upheld into "not eligible". Maker-checker and hash binding as for every file, never paid twice,
and the reconciliation report still balances."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.employers.models import Employer
from apps.imports.services import import_file
from apps.objections import services as objections
from apps.payments import services
from apps.payments.canonical import canonical_hash
from apps.payments.files import file_bytes
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.selectors import source_report, supplement_due
from apps.refunds.models import RefundRun
from apps.refunds.payments import SOURCE as RUN_SOURCE
from apps.refunds.services import run_reconcile
from tests.refunds.test_objections import lodge

SOURCE = "refunds.run"


@pytest.fixture
def run(publicizing_run):
    """The run in its 公示 window (tests/refunds/conftest.py), every employer with bank details."""
    run = publicizing_run
    for n, employer in enumerate(Employer.objects.filter(region_id="220102").order_by("pk")):
        employer.bank_name, employer.bank_account = "中国工商银行长春南关支行", f"42000211090{n:08d}"
        employer.bank_account_name = employer.name
        employer.save()
    run.refresh_from_db()
    return run


def approve_and_issue_first_file(run, caseworker, supervisor) -> PaymentBatch:
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.APPROVED)
    batch = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    services.batch_approve(user=supervisor, batch_id=batch.pk)
    return services.batch_issue(user=supervisor, batch_id=batch.pk)


def decide(objection, caseworker, supervisor, decision, corrected=None):
    objections.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    return objections.objection_decide(user=supervisor, objection_id=objection.pk, decision=decision,
                                       reasons="经核实", corrected_facts=corrected)


def import_return(user, rows):
    text = io.StringIO()
    csv.writer(text).writerows([["reference", "result", "failure_reason"], *rows])
    return import_file(kind="payment_returns", handle=io.BytesIO(text.getvalue().encode()), file_name="回盘.csv",
                       user=user)


@pytest.mark.parametrize(("case", "decision", "corrected", "amount"), [
    ("baseline", "reject", None, Decimal("7200.00")),  # rejected: the result as it was
    ("eleven_months", "uphold", {"months_paid_in_full": 12}, Decimal("6600.00")),  # ineligible → eligible
    ("rounding_half_up", "uphold", {"contributions_paid": "10000.00"}, Decimal("3000.00")),  # 3600.23 → 3000.00
    ("micro", "uphold", {"has_arrears": True}, None),  # upheld into "not eligible": nothing to pay
])
def test_a_row_held_at_the_first_file_is_paid_in_a_supplementary_file(run, dataset, caseworker, supervisor, case,
                                                                     decision, corrected, amount):
    employer = dataset[case]
    objection = lodge(caseworker, run, employer)
    first = approve_and_issue_first_file(run, caseworker, supervisor)
    key = str(employer.pk)
    assert key not in set(first.lines.values_list("row_key", flat=True))  # held back from the first file
    assert supplement_due(source=RUN_SOURCE, source_id=run.pk) == []  # still held: nothing due yet

    decide(objection, caseworker, supervisor, decision, corrected)
    due = supplement_due(source=RUN_SOURCE, source_id=run.pk)
    if amount is None:
        assert due == []
        with pytest.raises(ApplicationError) as error:
            services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
        assert error.value.code == "nothing_to_supplement" and error.value.status_code == 409
        return
    assert [(line.row_key, line.amount) for line in due] == [(key, amount)]

    batch = services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert (batch.kind, batch.row_count, batch.total_amount) == ("supplement", 1, amount)
    line = batch.lines.get()
    assert (line.row_key, line.amount, line.reference) == (key, amount, f"P{batch.pk:06d}-00001")
    assert line.row_claim == f"{SOURCE}:{run.pk}:{key}"
    with pytest.raises(ApplicationError) as error:  # four eyes, as for every file
        services.batch_approve(user=caseworker, batch_id=batch.pk)
    assert error.value.code in ("reviewer_required", "four_eyes")
    services.batch_approve(user=supervisor, batch_id=batch.pk)
    batch = services.batch_issue(user=supervisor, batch_id=batch.pk)
    assert batch.issued_sha256 == batch.approved_sha256 == batch.sha256

    # The file: its one line, the control record and a hash anyone holding the CSV recomputes.
    rows = list(csv.reader(io.StringIO(file_bytes(batch, "csv").decode("utf-8-sig"))))
    body, control = rows[1:-1], rows[-1]
    assert [(row[0], row[1], row[6]) for row in body] == [(line.reference, employer.uscc, f"{amount:.2f}")]
    assert control[:2] == ["合计", "1"] and control[6] == f"{amount:.2f}"
    assert control[7] == f"SHA-256:{batch.issued_sha256}"
    assert canonical_hash(purpose=body[0][7], rows=[(*row[:6], Decimal(row[6])) for row in body]) == (
        batch.issued_sha256, 1, amount)

    # Paid once: nothing more is due, a second supplementary file is refused.
    assert supplement_due(source=RUN_SOURCE, source_id=run.pk) == []
    with pytest.raises(ApplicationError) as error:
        services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert error.value.code == "nothing_to_supplement"

    # Both files come back paid: the report balances with the supplementary file in it, and the run reconciles.
    import_return(caseworker, [[ref, "paid", ""] for ref in first.lines.values_list("reference", flat=True)]
                  + [[line.reference, "paid", ""]])
    report = source_report(user=caseworker, source_key=SOURCE, source_id=run.pk)
    figures = report["figures"]
    assert figures["issued"]["count"] == first.row_count + 1 == figures["paid"]["count"]
    assert figures["issued"]["amount"] == first.total_amount + amount == figures["paid"]["amount"]
    assert (figures["supplement"]["count"], figures["supplement"]["amount"]) == (1, amount)
    assert report["balanced"] and report["settled"]
    assert run_reconcile(run_id=run.pk, user=supervisor).status == RefundRun.Status.RECONCILED


def test_reconciliation_waits_for_held_and_supplementary_rows(run, dataset, caseworker, supervisor):
    objection = lodge(caseworker, run, dataset["baseline"])
    first = approve_and_issue_first_file(run, caseworker, supervisor)
    import_return(caseworker, [[ref, "paid", ""] for ref in first.lines.values_list("reference", flat=True)])
    assert source_report(user=caseworker, source_key=SOURCE, source_id=run.pk)["settled"]
    with pytest.raises(ApplicationError) as error:  # the objection is still open: money may be owed
        run_reconcile(run_id=run.pk, user=supervisor)
    assert error.value.code == "reconciliation_open" and "异议" in error.value.message
    decide(objection, caseworker, supervisor, "reject")
    with pytest.raises(ApplicationError) as error:  # decided, not yet paid
        run_reconcile(run_id=run.pk, user=supervisor)
    assert error.value.code == "reconciliation_open" and "1 户待补充发放" in error.value.message


def test_a_supplementary_file_waits_for_the_first_file_to_be_issued(run, dataset, caseworker, supervisor):
    objection = lodge(caseworker, run, dataset["baseline"])
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.APPROVED)
    first = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    decide(objection, caseworker, supervisor, "reject")
    assert supplement_due(source=RUN_SOURCE, source_id=run.pk) == []
    with pytest.raises(ApplicationError) as error:
        services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert error.value.code == "original_not_issued"
    # Cancelled instead, the first file made again pays the released row: it was never in a live file.
    services.batch_cancel(user=supervisor, batch_id=first.pk, note="异议已办结，重新制单")
    again = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert str(dataset["baseline"].pk) in set(again.lines.values_list("row_key", flat=True))


def test_a_row_is_never_in_two_live_files(run, dataset, caseworker, supervisor, monkeypatch):
    employer = dataset["baseline"]
    objection = lodge(caseworker, run, employer)
    approve_and_issue_first_file(run, caseworker, supervisor)
    decide(objection, caseworker, supervisor, "reject")
    batch = services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)

    # The database refuses a second live line for the row, whatever the code in front of it.
    line = batch.lines.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(batch=batch, reference="P999999-00001", row_key="x", payee_name="x", bank_name="x",
                                   account_number="x", account_name="x", amount=Decimal("1.00"), region_code="220102",
                                   row_claim=line.row_claim)
    # A service whose own check were skipped gets the constraint's answer as a 409, and writes nothing.
    monkeypatch.setattr(services, "supplement_due", lambda **kwargs: RUN_SOURCE.lines(run.pk, [str(employer.pk)]))
    with pytest.raises(ApplicationError) as error:
        services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert error.value.code == services.ROW_ALREADY_PAID and error.value.status_code == 409
    assert PaymentBatch.objects.filter(kind="supplement").count() == 1
    monkeypatch.undo()

    # A cancelled supplementary file gives the row back; it is due again and may be paid by a new file.
    services.batch_cancel(user=supervisor, batch_id=batch.pk, note="制单有误")
    assert [line.row_key for line in supplement_due(source=RUN_SOURCE, source_id=run.pk)] == [str(employer.pk)]
    again = services.supplement_prepare(user=caseworker, source_key=SOURCE, source_id=run.pk)
    assert again.lines.get().row_key == str(employer.pk)


def test_the_pages_show_and_prepare_the_supplementary_file(run, dataset, caseworker, supervisor, other_caseworker,
                                                           client_for, api_for):
    objection = lodge(caseworker, run, dataset["baseline"])
    approve_and_issue_first_file(run, caseworker, supervisor)
    decide(objection, caseworker, supervisor, "reject")
    client = client_for(caseworker)
    assert "1 户待补充发放" in client.get(f"/refunds/{run.pk}/").content.decode()
    page = client.get(f"/payments/refund-run/{run.pk}/").content.decode()
    assert "1 户待补充发放" in page and 'id="prepare-supplement"' in page
    api = api_for(caseworker)
    assert api.get(f"/api/v1/payments/refund-run/{run.pk}/supplement/").json()["count"] == 1
    assert api_for(other_caseworker).get(f"/api/v1/payments/refund-run/{run.pk}/supplement/").status_code == 404
    assert api_for(other_caseworker).post(f"/api/v1/payments/refund-run/{run.pk}/supplement/").status_code == 404
    response = client.post(f"/payments/refund-run/{run.pk}/supplement/")
    batch = PaymentBatch.objects.get(kind="supplement")
    assert response.status_code == 302 and response["Location"] == f"/payments/batches/{batch.pk}/"
    assert api.post(f"/api/v1/payments/refund-run/{run.pk}/supplement/").json()["code"] == "nothing_to_supplement"
    assert "待补充发放" not in client.get(f"/payments/refund-run/{run.pk}/").content.decode()
