"""The payment service is reusable: an approved 普惠托育服务补助 claim is paid through the same files, hashes,
bank return and reconciliation as a refund run (apps.childcare.payments)."""

from decimal import Decimal

import pytest

from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.core.exceptions import ApplicationError
from apps.imports.models import ImportBatch
from apps.payments import services
from apps.payments.models import PaymentBatch
from apps.payments.selectors import source_readiness, source_report
from tests.payments.test_payments import import_return

pytestmark = pytest.mark.django_db
SOURCE = "childcare.claim"


def make_claim(status=OperatingSubsidyClaim.Status.APPROVED, amount=Decimal("36000.50"), *, bank=True,
               region="220102", uscc="91220102MA0000001H", name="南关区小太阳托育园") -> OperatingSubsidyClaim:
    institution = Institution.objects.create(name=name, uscc=uscc, category="private_inclusive", region_id=region)
    institution.phone = "13800001111"
    institution.save()
    if bank:
        institution.bank_name = "中国建设银行长春南关支行"
        institution.bank_account = "22050101234567890"
        institution.bank_account_name = name
        institution.save()
    return OperatingSubsidyClaim.objects.create(institution=institution, year=2025, status=status, amount=amount,
                                                child_months=60)


def test_an_approved_claim_is_paid_reconciled_and_balances(caseworker, supervisor):
    claim = make_claim()
    batch = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    line = batch.lines.get()
    assert (batch.row_count, batch.total_amount) == (1, Decimal("36000.50"))
    assert (line.payee_code, line.account_number, line.row_key) == ("91220102MA0000001H", "22050101234567890",
                                                                     str(claim.institution_id))
    with pytest.raises(ApplicationError) as refused:  # four eyes, as for a refund run's file
        services.batch_approve(user=caseworker, batch_id=batch.pk)
    assert refused.value.code in {"reviewer_required", "four_eyes"}
    services.batch_approve(user=supervisor, batch_id=batch.pk)
    batch = services.batch_issue(user=supervisor, batch_id=batch.pk)
    assert batch.status == PaymentBatch.Status.ISSUED

    result = import_return(caseworker, [[line.reference, "失败", "账户已销户"]])
    assert result.status == ImportBatch.Status.SUCCEEDED, result.message
    report = source_report(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert report["figures"]["failed"]["amount"] == Decimal("36000.50") and not report["settled"]

    institution = claim.institution
    institution.bank_account = "22050109999999999"
    institution.save()
    reissue = services.lines_reissue(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert reissue.lines.get().account_number == "22050109999999999"
    services.batch_approve(user=supervisor, batch_id=reissue.pk)
    services.batch_issue(user=supervisor, batch_id=reissue.pk)
    assert import_return(caseworker, [[reissue.lines.get().reference, "成功", ""]]).status == ImportBatch.Status.SUCCEEDED
    # The institution hears that the money arrived, once, by 短信 (the payment service's notice).
    from apps.notifications.models import Message
    notices = Message.objects.filter(event="payments.paid")
    assert [(m.channel, m.recipient_address) for m in notices] == [("sms", "13800001111")]
    report = source_report(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    counts = {key: value["count"] for key, value in report["figures"].items()}
    assert counts == {"issued": 2, "supplement": 0, "paid": 1, "failed": 1, "awaiting": 0, "reissued": 1, "closed": 0, "open": 0}
    assert report["balanced"] and report["settled"]


@pytest.mark.parametrize(("status", "amount"), [
    (OperatingSubsidyClaim.Status.DRAFT, Decimal("100.00")),
    (OperatingSubsidyClaim.Status.SUBMITTED, Decimal("100.00")),
    (OperatingSubsidyClaim.Status.RETURNED, Decimal("100.00")),
    (OperatingSubsidyClaim.Status.APPROVED, Decimal("0.00")),
])
def test_only_an_approved_claim_with_an_amount_is_paid(caseworker, status, amount):
    claim = make_claim(status=status, amount=amount)
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "source_not_payable"
    assert "审核通过且补助金额大于零" in refused.value.message


def test_missing_bank_details_block_the_file(caseworker):
    claim = make_claim(bank=False)
    readiness = source_readiness(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert [payee["row_key"] for payee in readiness.blocking] == [str(claim.institution_id)]
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "bank_details_missing"


def test_another_regions_claim_is_not_found(caseworker, client):
    claim = make_claim(region="220203", uscc="91220203MA00000028", name="船营区托育园")
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "not_found"
    client.force_login(caseworker)
    assert client.get(f"/payments/childcare-claim/{claim.pk}/").status_code == 404
    assert client.get("/payments/childcare-claim/abc/").status_code == 404


def test_the_claim_page_links_to_its_payment_and_the_institution_page_masks_the_account(caseworker, client):
    claim = make_claim()
    client.force_login(caseworker)
    page = client.get(f"/childcare/claims/{claim.pk}/").content.decode()
    assert f"/payments/childcare-claim/{claim.pk}/" in page
    page = client.get(f"/childcare/institutions/{claim.institution_id}/").content.decode()
    assert "22050101234567890" not in page and "2205*********7890" in page
    assert client.get(f"/payments/childcare-claim/{claim.pk}/").status_code == 200


def test_institution_api_masks_and_checks_the_account(caseworker):
    from rest_framework.test import APIClient

    claim = make_claim()
    api = APIClient()
    api.force_authenticate(caseworker)
    detail = api.get(f"/api/v1/childcare/institutions/{claim.institution_id}/").json()
    assert detail["bank_account"] == "2205*********7890"
    answer = api.patch(f"/api/v1/childcare/institutions/{claim.institution_id}/", {"bank_account": "2205-0101"},
                       format="json")
    assert answer.status_code == 400 and "bank_account" in answer.json()["fields"]
    answer = api.patch(f"/api/v1/childcare/institutions/{claim.institution_id}/",
                       {"bank_account": "２２０５ ０１０１ ７７７７ ７７７７"}, format="json")
    assert answer.status_code == 200, answer.content
    assert Institution.objects.get(pk=claim.institution_id).bank_account == "2205010177777777"
