"""End to end through the Django test client, the pages a caseworker and a reviewer click: register the lender
bank in the 经办银行名录, register the loan at it, the reviewer approves it, the bank's repayment schedule is
imported, the subsidy claim computed and approved (贴息申请), the disbursement file to the lender prepared,
approved and issued (→ 已拨付), the bank's return imported (→ 已到账), and the same return imported again changes
nothing. The lender pages: the list masks the account, the edit form shows it and is a logged read, another
region's lender is 404."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.models import AccessLog
from apps.payments.models import PaymentBatch, PaymentLine
from apps.startup_loans.models import Lender, LoanApplication, SubsidyClaim
from tests.conftest import login_verified
from tests.startup_loans.conftest import LENDER_ACCOUNT, make_lender, target_person

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def _upload(client, kind: str, text: str, name: str):
    page = client.get(reverse("imports:upload"))
    handle = io.BytesIO(text.encode())
    handle.name = name
    response = client.post(reverse("imports:upload"), {"kind": kind, "file": handle, "form_token": _token(page)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


LENDER_FORM = {"name": "吉林银行股份有限公司长春南关支行", "uscc": "91220102MA8800001P", "region": "220102",
               "bank_name": "吉林银行长春南关支行营业部", "bank_account": "2205 0161 0000 1234 5678",
               "bank_account_name": "吉林银行股份有限公司长春南关支行"}


def test_claim_approved_file_prepared_approved_issued_bank_return_paid(caseworker, supervisor):
    maker, checker = login_verified(Client(), caseworker), login_verified(Client(), supervisor)

    # 经办银行名录: the caseworker registers the lender (the account typed in groups is normalised).
    page = maker.get(reverse("startup_loans:lender-create"))
    response = maker.post(reverse("startup_loans:lender-create"), {**LENDER_FORM, "form_token": _token(page)})
    assert response.status_code == 302, response.content.decode()[:3000]
    lender = Lender.objects.get()
    assert lender.bank_account == LENDER_ACCOUNT

    # The loan, registered at that lender, approved by the reviewer.
    person = target_person()
    page = maker.get(reverse("startup_loans:application-create"))
    assert f'value="{lender.pk}"' in page.content.decode()
    response = maker.post(reverse("startup_loans:application-create"), {
        "id_number": person.id_number, "application_date": "2026-03-01", "business_name": "南关区返乡农家菜馆",
        "business_uscc": "", "amount_requested": "200000.00", "term_months": "24", "lender": str(lender.pk),
        "lender_bank": "", "form_token": _token(page)})
    assert response.status_code == 302, response.content.decode()[:3000]
    application = LoanApplication.objects.get()
    assert (application.lender_id, application.lender_bank) == (lender.pk, lender.name)
    checker.post(reverse("startup_loans:application-review", args=[application.pk, "approve"]))
    application.refresh_from_db()
    assert application.status == LoanApplication.Status.APPROVED

    # The bank's schedule, three periods repaid; the claim computed and approved.
    ref = application.reference
    imported = _upload(maker, "startup_loan_repayments",
                       "loan_reference,period,due_date,principal,interest,paid_date\n"
                       f"{ref},1,2026-04-01,0.00,583.33,2026-04-01\n{ref},2,2026-05-01,0.00,583.33,2026-04-30\n"
                       f"{ref},3,2026-06-01,0.00,583.33,2026-06-01\n{ref},4,2026-07-01,0.00,583.33,\n", "还款计划.csv")
    assert imported.status_code == 200 and application.periods.count() == 4
    detail = maker.get(reverse("startup_loans:application-detail", args=[application.pk]))
    maker.post(reverse("startup_loans:claim-create", args=[application.pk]), {"form_token": _token(detail)})
    claim = SubsidyClaim.objects.get()
    assert claim.amount.to_eng_string() == "875.00"
    checker.post(reverse("startup_loans:claim-review", args=[claim.pk, "approve"]))
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.APPROVED

    # The claim page leads to its payment; the file is prepared by the caseworker, approved and issued by the
    # reviewer (four eyes: the maker is offered no approval).
    page = maker.get(reverse("startup_loans:claim-detail", args=[claim.pk])).content.decode()
    assert f"/payments/startup-loan-claim/{claim.pk}/" in page and lender.name in page
    payment_page = maker.get(f"/payments/startup-loan-claim/{claim.pk}/")
    assert payment_page.status_code == 200 and f"{ref} {person.name} 贴息申请 #{claim.pk}" in payment_page.content.decode()
    response = maker.post(f"/payments/startup-loan-claim/{claim.pk}/prepare/")
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payments/batches/{batch.pk}/"
    assert "action-approve" not in maker.get(f"/payments/batches/{batch.pk}/").content.decode()
    checker.post(f"/payments/batches/{batch.pk}/approve/")
    checker.post(f"/payments/batches/{batch.pk}/issue/")
    batch.refresh_from_db()
    claim.refresh_from_db()
    assert (batch.status, claim.status) == (PaymentBatch.Status.ISSUED, SubsidyClaim.Status.ISSUED)
    csv_file = checker.get(f"/payments/batches/{batch.pk}/file.csv").content.decode("utf-8-sig")
    assert f"{lender.uscc},{lender.name},吉林银行长春南关支行营业部,{LENDER_ACCOUNT}," in csv_file
    assert ",875.00," in csv_file and person.name not in csv_file

    # The bank's return: paid. Imported again: nothing changes.
    line = batch.lines.get()
    _upload(maker, "payment_returns", f"reference,result,failure_reason\n{line.reference},成功,\n", "回盘.csv")
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.PAID and claim.paid_at is not None
    paid_at, history = claim.paid_at, claim.history.count()
    _upload(maker, "payment_returns", f"reference,result,failure_reason\n{line.reference},成功,\n", "回盘2.csv")
    claim.refresh_from_db()
    assert (claim.status, claim.paid_at, claim.history.count()) == (SubsidyClaim.Status.PAID, paid_at, history)
    assert PaymentLine.objects.get().status == PaymentLine.Status.PAID
    page = maker.get(reverse("startup_loans:claim-detail", args=[claim.pk])).content.decode()
    assert "已到账" in page
    report = checker.get(f"/payments/startup-loan-claim/{claim.pk}/report/")
    assert report.status_code == 200 and "对账平衡" in report.content.decode()


def test_lender_pages_mask_log_and_scope(client_for, caseworker, other_caseworker):
    lender = make_lender(caseworker)
    client = client_for(caseworker)
    listing = client.get(reverse("startup_loans:lender-list")).content.decode()
    assert lender.name in listing and LENDER_ACCOUNT not in listing and lender.masked_bank_account in listing
    edit = client.get(reverse("startup_loans:lender-update", args=[lender.pk]))
    assert edit.status_code == 200 and LENDER_ACCOUNT in edit.content.decode()
    assert AccessLog.objects.filter(object_type="startup_loans.lender", object_id=str(lender.pk),
                                    purpose="查看银行账号").count() == 1
    response = client.post(reverse("startup_loans:lender-update", args=[lender.pk]),
                           {**LENDER_FORM, "uscc": lender.uscc, "bank_account": "1234-5"})
    assert response.status_code == 200 and "bank_account" in response.context["form"].errors
    response = client.post(reverse("startup_loans:lender-update", args=[lender.pk]),
                           {**LENDER_FORM, "uscc": lender.uscc, "bank_account": "22050161000099990000"})
    assert response.status_code == 302
    assert Lender.objects.get(pk=lender.pk).bank_account == "22050161000099990000"
    other = login_verified(Client(), other_caseworker)
    assert other.get(reverse("startup_loans:lender-update", args=[lender.pk])).status_code == 404
    assert lender.name not in other.get(reverse("startup_loans:lender-list")).content.decode()


def test_a_loan_is_linked_to_a_lender_on_its_page(client_for, caseworker, supervisor):
    from tests.startup_loans.conftest import approved_application

    application = approved_application(caseworker, supervisor)  # its bank named as text only
    lender = make_lender(caseworker)
    client = client_for(caseworker)
    page = client.get(reverse("startup_loans:application-detail", args=[application.pk])).content.decode()
    assert "未关联名录" in page and 'id="lender-link"' in page
    response = client.post(reverse("startup_loans:application-lender", args=[application.pk]),
                           {"lender": str(lender.pk)}, follow=True)
    assert "已关联经办银行" in response.content.decode()
    assert LoanApplication.objects.get(pk=application.pk).lender_id == lender.pk
