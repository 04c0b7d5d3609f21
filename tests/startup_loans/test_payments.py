"""贴息资金拨付经办银行: an approved interest-subsidy claim is paid to the loan's lender through apps.payments (the
source apps.startup_loans.payments) — the line, who may prepare it and when, the file going out (→ 已拨付), the
bank's return (→ 已到账, once however often it is imported), a failure paid again to the corrected account, and the
lender registry (经办银行名录) the payee comes from."""

from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError, ConflictError
from apps.imports.models import ImportBatch
from apps.payments import services as payments
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.selectors import source_readiness
from apps.startup_loans import services
from apps.startup_loans.models import Lender, LoanApplication, SubsidyClaim
from tests.payments.test_payments import import_return
from tests.startup_loans.conftest import (
    LENDER_ACCOUNT,
    approved_application,
    approved_claim,
    make_application,
    make_lender,
    schedule,
)

pytestmark = pytest.mark.django_db
SOURCE = "startup_loans.claim"
Status = SubsidyClaim.Status


@pytest.fixture
def lender(caseworker):
    return make_lender(caseworker)


@pytest.fixture
def claim(caseworker, supervisor, lender):
    return approved_claim(caseworker, supervisor, lender)


def issued(claim, caseworker, supervisor) -> PaymentBatch:
    batch = payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    payments.batch_approve(user=supervisor, batch_id=batch.pk)
    return payments.batch_issue(user=supervisor, batch_id=batch.pk)


def test_the_line_pays_the_lender_not_the_borrower(claim, lender, caseworker):
    batch = payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    line = batch.lines.get()
    assert claim.amount == Decimal("875.00")  # 3 × 583.33 × 50 % = 874.995 → half-up once
    assert (line.row_key, line.payee_code, line.payee_name, line.bank_name, line.account_number,
            line.account_name, line.amount) == (
        str(lender.pk), "91220102MA8800001P", "吉林银行股份有限公司长春南关支行", "吉林银行长春南关支行营业部",
        LENDER_ACCOUNT, "吉林银行股份有限公司长春南关支行", Decimal("875.00"))
    assert (batch.row_count, batch.total_amount, batch.region_id) == (1, Decimal("875.00"), "220102")
    assert batch.purpose == f"创业担保贷款贴息 {claim.application.reference}"
    assert claim.application.person.name not in line.payee_name


def test_issued_then_paid_once_however_often_the_return_is_imported(claim, caseworker, supervisor):
    batch = issued(claim, caseworker, supervisor)
    claim.refresh_from_db()
    assert (claim.status, claim.issued_at, claim.paid_at) == (Status.ISSUED, batch.issued_at, None)
    reference = batch.lines.get().reference

    first = import_return(caseworker, [[reference, "成功", ""]])
    assert first.status == ImportBatch.Status.SUCCEEDED, first.message
    claim.refresh_from_db()
    line = PaymentLine.objects.get(reference=reference)
    assert (claim.status, claim.paid_at) == (Status.PAID, line.returned_at)
    history = claim.history.count()
    reason = claim.history.first().history_change_reason
    assert reason.startswith("银行回盘到账") and reference in reason

    again = import_return(caseworker, [[reference, "成功", ""]])
    assert again.status == ImportBatch.Status.SUCCEEDED, again.message
    claim.refresh_from_db()
    assert (claim.status, claim.paid_at, claim.history.count()) == (Status.PAID, line.returned_at, history)


def test_a_claim_in_a_file_cannot_go_into_a_second_one(claim, caseworker, supervisor, second_supervisor):
    batch = payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    with pytest.raises(ConflictError) as refused:
        payments.batch_prepare(user=second_supervisor, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "batch_exists"
    payments.batch_approve(user=supervisor, batch_id=batch.pk)
    payments.batch_issue(user=supervisor, batch_id=batch.pk)
    with pytest.raises(ConflictError) as refused:  # issued: the claim is 已拨付, no first file again
        payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "source_not_payable" and "已拨付" in refused.value.message
    assert PaymentLine.objects.count() == 1


def test_a_failed_payment_stays_issued_and_a_reissue_pays_the_corrected_account(claim, lender, caseworker,
                                                                              supervisor):
    batch = issued(claim, caseworker, supervisor)
    import_return(caseworker, [[batch.lines.get().reference, "失败", "账户已销户"]])
    claim.refresh_from_db()
    assert claim.status == Status.ISSUED
    lender.bank_account = "22050161000099990000"
    services.lender_save(user=caseworker, lender=lender)
    reissue = payments.lines_reissue(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert reissue.lines.get().account_number == "22050161000099990000"
    payments.batch_approve(user=supervisor, batch_id=reissue.pk)
    payments.batch_issue(user=supervisor, batch_id=reissue.pk)
    claim.refresh_from_db()
    assert claim.issued_at == batch.issued_at  # the first issue's time: a re-issue moves nothing
    import_return(caseworker, [[reissue.lines.get().reference, "成功", ""]])
    claim.refresh_from_db()
    assert claim.status == Status.PAID


def test_a_changed_lender_account_after_approval_invalidates_the_file(claim, lender, caseworker, supervisor):
    batch = payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    payments.batch_approve(user=supervisor, batch_id=batch.pk)
    lender.bank_account = "22050161000011112222"
    services.lender_save(user=caseworker, lender=lender)
    with pytest.raises(ConflictError) as refused:
        payments.batch_issue(user=supervisor, batch_id=batch.pk)
    assert refused.value.code == "approval_invalidated"
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED


def _with_status(status):
    def make(caseworker, supervisor, lender):
        claim = approved_claim(caseworker, supervisor, lender)
        SubsidyClaim.objects.filter(pk=claim.pk).update(status=status)
        return claim
    return make


def _zero(caseworker, supervisor, lender):
    claim = approved_claim(caseworker, supervisor, lender)
    SubsidyClaim.objects.filter(pk=claim.pk).update(amount=Decimal("0.00"))
    return claim


def _no_lender(caseworker, supervisor, lender):
    return approved_claim(caseworker, supervisor, None)  # a loan that names its bank as text only


@pytest.mark.parametrize(("make", "says"), [
    (_with_status(Status.COMPUTED), "当前状态为“待审核”"),
    (_with_status(Status.REJECTED), "当前状态为“已退回”"),
    (_with_status(Status.ISSUED), "当前状态为“已拨付”"),
    (_with_status(Status.PAID), "当前状态为“已到账”"),
    (_zero, "贴息金额大于零"),
    (_no_lender, "尚未关联经办银行名录"),
], ids=["computed", "rejected", "issued", "paid", "zero", "no-lender"])
def test_only_an_approved_claim_with_an_amount_and_a_lender_is_payable(caseworker, supervisor, lender, make, says):
    claim = make(caseworker, supervisor, lender)
    with pytest.raises(ConflictError) as refused:
        payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "source_not_payable" and says in refused.value.message
    assert not PaymentBatch.objects.exists()


def test_missing_lender_bank_details_block_the_file(caseworker, supervisor):
    lender = make_lender(caseworker, bank=False)
    claim = approved_claim(caseworker, supervisor, lender)
    readiness = source_readiness(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert [row["row_key"] for row in readiness.blocking] == [str(lender.pk)]
    assert readiness.blocking[0]["url"] == f"/startup-loans/lenders/{lender.pk}/edit/"
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "bank_details_missing"


def test_another_regions_claim_is_not_found(caseworker, other_caseworker, supervisor, lender):
    claim = approved_claim(caseworker, supervisor, lender)
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=other_caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "not_found"


# ------------------------------------------------------------------ linking a loan to the registry


def test_a_loan_registered_with_the_bank_as_text_is_linked_later(caseworker, supervisor, lender):
    claim = approved_claim(caseworker, supervisor, None)
    application = claim.application
    assert (application.lender_id, application.lender_bank) == (None, "吉林银行长春南关支行")
    services.application_set_lender(application=application, user=caseworker, lender_id=lender.pk)
    application.refresh_from_db()
    assert (application.lender_id, application.lender_bank) == (lender.pk, lender.name)
    assert application.history.first().history_change_reason == f"关联经办银行：{lender.name}"
    batch = payments.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert batch.lines.get().row_key == str(lender.pk)


def test_the_lender_is_kept_once_a_subsidy_went_to_it(caseworker, supervisor, lender):
    claim = approved_claim(caseworker, supervisor, lender)
    issued(claim, caseworker, supervisor)
    other = make_lender(caseworker, serial=8_800_002, name="中国农业银行股份有限公司长春南关支行")
    with pytest.raises(ConflictError) as refused:
        services.application_set_lender(application=claim.application, user=caseworker, lender_id=other.pk)
    assert refused.value.code == "lender_locked"
    assert LoanApplication.objects.get(pk=claim.application_id).lender_id == lender.pk


def test_a_lender_of_another_region_reads_like_an_unknown_one(caseworker, province_admin):
    far = make_lender(province_admin, region_id="220204", serial=8_800_003, name="吉林银行船营支行")
    with pytest.raises(ApplicationError) as refused:
        make_application(caseworker, lender_id=far.pk)
    assert (refused.value.code, list(refused.value.fields)) == ("unknown_lender", ["lender"])


def test_a_lender_chosen_at_registration_names_the_bank(caseworker, supervisor, lender):
    application = approved_application(caseworker, supervisor, lender_id=lender.pk, lender_bank="")
    assert (application.lender_id, application.lender_bank) == (lender.pk, lender.name)
    schedule(application)


# ------------------------------------------------------------------ the registry: lender_save


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"uscc": "91220102MA8800001X"}, "invalid_uscc", "uscc"),  # checksum
    ({"uscc": "9122010"}, "invalid_uscc", "uscc"),  # length
    ({"bank_account": "2205-01"}, "invalid", "bank_account"),
    ({"bank_account": "1234567"}, "invalid", "bank_account"),  # 7 digits: below the 8-digit floor
    ({"region_id": "220204"}, "region_out_of_scope", "region"),
    ({"name": "  "}, "invalid", "name"),
], ids=["checksum", "length", "account-format", "account-short", "region", "no-name"])
def test_lender_save_refuses(caseworker, overrides, code, field):
    with pytest.raises(ApplicationError) as refused:
        make_lender(caseworker, **overrides)
    assert refused.value.code == code and field in refused.value.fields, refused.value.fields
    assert not Lender.objects.exists()


def test_lender_save_normalises_the_code_and_keeps_history(caseworker):
    lender = make_lender(caseworker, uscc=" 91220102ma8800001p ", bank_account="22050161000012345678")
    assert lender.uscc == "91220102MA8800001P"
    assert lender.history.first().history_change_reason == "登记经办银行"
    with pytest.raises(ApplicationError) as refused:  # one lender per code
        make_lender(caseworker, name="另一家")
    assert "uscc" in refused.value.fields
