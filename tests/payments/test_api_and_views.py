"""The payment faces: the API walks a run from readiness to reconciliation (refusal codes on the way), the
pages show the missing bank details, the file and the report; other regions get 404; the report reads a
constant number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.core.models import AccessLog
from apps.payments.models import PaymentBatch, PaymentLine
from apps.refunds.models import RefundRun
from tests.payments.conftest import make_employers
from tests.queries import assert_queries_constant

BASE = "/api/v1/payments/refund-run"


def _upload_return(api, rows):
    text = io.StringIO()
    csv.writer(text).writerows([["reference", "result", "failure_reason"], *rows])
    upload = io.BytesIO(text.getvalue().encode())
    upload.name = "return.csv"
    return api.post("/api/v1/imports/", {"kind": "payment_returns", "file": upload}, format="multipart")


def test_api_walks_a_run_to_reconciled(approved_run, caseworker, supervisor, api_for):
    maker, checker = api_for(caseworker), api_for(supervisor)
    employer = approved_run.employers[0]
    type(employer).objects.filter(pk=employer.pk).update(bank_account="")

    readiness = maker.get(f"{BASE}/{approved_run.pk}/readiness/").json()
    assert readiness["ready"] is False and readiness["blocking"][0]["row_key"] == str(employer.pk)
    refused = maker.post(f"{BASE}/{approved_run.pk}/batches/")
    assert (refused.status_code, refused.json()["code"]) == (409, "bank_details_missing")

    fixed = maker.patch(f"/api/v1/employers/{employer.pk}/", {"bank_account": "4200 0211 0900 1111 11"}, format="json")
    assert fixed.status_code == 200, fixed.content
    created = maker.post(f"{BASE}/{approved_run.pk}/batches/")
    assert created.status_code == 201, created.content
    batch = created.json()
    assert batch["control"] == {"count": 3, "sum": "10800.33", "sha256": batch["sha256"]}

    assert maker.post(f"/api/v1/payment-batches/{batch['id']}/approve/").status_code == 403  # a caseworker
    approved = checker.post(f"/api/v1/payment-batches/{batch['id']}/approve/", {"note": "核对无误"}, format="json")
    assert approved.json()["approved_sha256"] == batch["sha256"]
    issued = checker.post(f"/api/v1/payment-batches/{batch['id']}/issue/").json()
    assert issued["status"] == "issued" and issued["issued_sha256"] == batch["sha256"]

    lines = maker.get(f"/api/v1/payment-batches/{batch['id']}/lines/").json()["results"]
    assert all("*" in line["account_number"] for line in lines)  # masked in the list
    file = maker.get(f"/api/v1/payment-batches/{batch['id']}/file/?format=csv")
    assert file.status_code == 200 and "420002110900111111" in file.content.decode("utf-8-sig")
    assert AccessLog.objects.filter(object_type="payments.paymentbatch", action=AccessLog.Action.EXPORT).exists()

    refs = [line["reference"] for line in lines]
    imported = _upload_return(maker, [[refs[0], "paid", ""], [refs[1], "failed", "户名不符"], [refs[2], "paid", ""]])
    assert imported.status_code in (200, 201) and imported.json()["status"] == "succeeded", imported.content
    report = maker.get(f"{BASE}/{approved_run.pk}/report/").json()
    assert report["figures"]["failed"] == {"count": 1, "amount": "3600.23"} and report["balanced"]
    refused = checker.post(f"/api/v1/refund-runs/{approved_run.pk}/reconcile/")
    assert (refused.status_code, refused.json()["code"]) == (409, "reconciliation_open")

    reissue = maker.post(f"{BASE}/{approved_run.pk}/reissue/", {}, format="json")
    assert reissue.status_code == 201 and reissue.json()["row_count"] == 1
    assert reissue.json()["sha256"] != batch["sha256"]
    checker.post(f"/api/v1/payment-batches/{reissue.json()['id']}/approve/")
    checker.post(f"/api/v1/payment-batches/{reissue.json()['id']}/issue/")
    new_ref = maker.get(f"/api/v1/payment-batches/{reissue.json()['id']}/lines/").json()["results"][0]["reference"]
    _upload_return(maker, [[new_ref, "paid", ""]])
    report = maker.get(f"{BASE}/{approved_run.pk}/report/").json()
    assert report["settled"] and report["figures"]["reissued"]["count"] == 1
    done = checker.post(f"/api/v1/refund-runs/{approved_run.pk}/reconcile/", {"comment": "全部到账"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "reconciled"


def test_api_issue_after_a_change_is_409_with_the_stable_code(approved_run, caseworker, supervisor, api_for):
    batch = api_for(caseworker).post(f"{BASE}/{approved_run.pk}/batches/").json()
    api_for(supervisor).post(f"/api/v1/payment-batches/{batch['id']}/approve/")
    employer = approved_run.employers[2]
    type(employer).objects.filter(pk=employer.pk).update(bank_account="42000211098888888")
    refused = api_for(supervisor).post(f"/api/v1/payment-batches/{batch['id']}/issue/")
    assert (refused.status_code, refused.json()["code"]) == (409, "approval_invalidated")
    assert "审批已失效" in refused.json()["detail"]
    assert api_for(supervisor).get(f"/api/v1/payment-batches/{batch['id']}/").json()["status"] == "invalidated"
    file = api_for(supervisor).get(f"/api/v1/payment-batches/{batch['id']}/file/?format=csv")
    assert (file.status_code, file.json()["code"]) == (409, "batch_not_issued")


def test_api_four_eyes_on_approval(approved_run, supervisor, api_for):
    batch = api_for(supervisor).post(f"{BASE}/{approved_run.pk}/batches/").json()
    refused = api_for(supervisor).post(f"/api/v1/payment-batches/{batch['id']}/approve/")
    assert (refused.status_code, refused.json()["code"]) == (403, "four_eyes")


def test_other_region_gets_404_everywhere(approved_run, caseworker, other_caseworker, api_for):
    batch = api_for(caseworker).post(f"{BASE}/{approved_run.pk}/batches/").json()
    other = api_for(other_caseworker)
    for path in (f"{BASE}/{approved_run.pk}/readiness/", f"{BASE}/{approved_run.pk}/batches/",
                 f"{BASE}/{approved_run.pk}/report/", f"/api/v1/payment-batches/{batch['id']}/",
                 f"/api/v1/payment-batches/{batch['id']}/lines/"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"{BASE}/{approved_run.pk}/batches/").status_code == 404
    assert other.get("/api/v1/payment-batches/").json()["results"] == []


def test_integration_accounts_get_no_bank_file(approved_run, caseworker, supervisor, integration_client, api_for):
    batch = api_for(caseworker).post(f"{BASE}/{approved_run.pk}/batches/").json()
    assert api_for(integration_client).get(f"/api/v1/payment-batches/{batch['id']}/file/").status_code == 403


def test_report_reads_a_constant_number_of_queries(approved_run, caseworker, supervisor, api_for):
    from apps.payments import services

    api = api_for(caseworker)
    made = {"n": 0}

    def add_rows(count):
        # Each round: a fresh run with `count` paid employers, one file issued and returned.
        run = approved_run
        PaymentBatch.objects.filter(source_id=run.pk).delete()
        made["n"] += count
        make_employers(run, count, start=100 + made["n"])
        batch = services.batch_prepare(user=caseworker, source_key="refunds.run", source_id=run.pk)
        services.batch_approve(user=supervisor, batch_id=batch.pk)
        services.batch_issue(user=supervisor, batch_id=batch.pk)
        RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.APPROVED)
        PaymentLine.objects.filter(batch=batch).update(status=PaymentLine.Status.PAID)

    report = assert_queries_constant(lambda: api.get(f"{BASE}/{approved_run.pk}/report/"), add_rows, n=4)
    assert report.json()["balanced"]


def test_pages_show_missing_details_the_file_and_the_report(approved_run, caseworker, supervisor, client_for):
    employer = approved_run.employers[1]
    type(employer).objects.filter(pk=employer.pk).update(bank_name="")
    client = client_for(caseworker)
    page = client.get(f"/payments/refund-run/{approved_run.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "missing-bank-details" in text and employer.name in text
    response = client.post(f"/payments/refund-run/{approved_run.pk}/prepare/", follow=True)
    assert "bank_details_missing" in response.content.decode() and not PaymentBatch.objects.exists()

    type(employer).objects.filter(pk=employer.pk).update(bank_name="中国银行")
    response = client.post(f"/payments/refund-run/{approved_run.pk}/prepare/")
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payments/batches/{batch.pk}/"
    page = client.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "action-approve" not in page  # the maker is offered no approval
    checker = client_for(supervisor)
    page = checker.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert "action-approve" in page and "4200" in page and "42000211090" not in page  # accounts masked
    checker.post(f"/payments/batches/{batch.pk}/approve/")
    checker.post(f"/payments/batches/{batch.pk}/issue/")
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.ISSUED
    xlsx = checker.get(f"/payments/batches/{batch.pk}/file.xlsx")
    assert xlsx.status_code == 200
    assert Decimal(str(load_workbook(io.BytesIO(xlsx.content))["控制信息"]["B5"].value)) == Decimal("10800.33")
    report = checker.get(f"/payments/refund-run/{approved_run.pk}/report/")
    assert report.status_code == 200 and "对账平衡" in report.content.decode()
    sheet = load_workbook(io.BytesIO(checker.get(f"/payments/refund-run/{approved_run.pk}/report/?format=xlsx")
                                     .content)).active
    assert [sheet.cell(row=2, column=c).value for c in (1, 2)] == ["已发放", 3]
    run_page = checker.get(f"/refunds/{approved_run.pk}/").content.decode()
    assert "payment-link" in run_page


@pytest.mark.parametrize("path", ["/payments/refund-run/{run}/", "/payments/refund-run/{run}/report/",
                                  "/payments/batches/{batch}/"])
def test_pages_of_another_region_are_404(approved_run, caseworker, other_caseworker, client_for, path):
    from apps.payments import services

    batch = services.batch_prepare(user=caseworker, source_key="refunds.run", source_id=approved_run.pk)
    response = client_for(other_caseworker).get(path.format(run=approved_run.pk, batch=batch.pk))
    assert response.status_code == 404


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(("method", "path"), [
    ("get", f"{BASE}/{HUGE}/readiness/"), ("get", f"{BASE}/{HUGE}/report/"), ("post", f"{BASE}/{HUGE}/batches/"),
    ("post", f"{BASE}/{HUGE}/reissue/"), ("get", f"/api/v1/payment-batches/{HUGE}/"),
    ("get", "/api/v1/payments/no-such-source/1/report/"),
])
def test_unknown_and_out_of_range_ids_are_404_not_500(caseworker, api_for, method, path):
    assert getattr(api_for(caseworker), method)(path).status_code == 404


def test_money_sums_are_exact_where_floats_drift(caseworker, supervisor, api_for):
    """Eleven payments of 999,999,999,999.99 make 10,999,999,999,999.89: sixteen digits, more than a binary
    float (SQLite's REAL) holds. The control total, the file and the report must still say exactly that."""
    from apps.payments import services

    run = RefundRun.objects.create(year=2024, region_id="220102", status=RefundRun.Status.APPROVED, chunk_size=100,
                                   started_by=caseworker)
    make_employers(run, 11, start=50, amounts=(Decimal("999999999999.99"),))
    expected = "10999999999999.89"
    batch = services.batch_prepare(user=caseworker, source_key="refunds.run", source_id=run.pk)
    batch.refresh_from_db()
    assert batch.total_amount == Decimal(expected)
    services.batch_approve(user=supervisor, batch_id=batch.pk)
    services.batch_issue(user=supervisor, batch_id=batch.pk)
    text = api_for(caseworker).get(f"/api/v1/payment-batches/{batch.pk}/file/?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[-1].split(",")[6] == expected
    report = api_for(caseworker).get(f"{BASE}/{run.pk}/report/").json()
    assert report["figures"]["issued"]["amount"] == expected
    assert report["figures"]["awaiting"]["amount"] == expected and report["balanced"]
