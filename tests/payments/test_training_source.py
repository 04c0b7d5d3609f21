"""The payment service is reusable: an approved training / skills-assessment subsidy claim is paid to the person
(their own account, applicants.Person's bank details) through the same files, hashes, bank return, re-issue and
reconciliation as a refund run and a childcare claim (apps.training.payments)."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.audit import reads_of
from apps.core.exceptions import ApplicationError
from apps.core.models import AccessLog
from apps.imports.models import ImportBatch
from apps.notifications.models import Message
from apps.payments import services
from apps.payments.canonical import canonical_hash
from apps.payments.files import file_bytes
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.selectors import source_readiness, source_report
from apps.training.models import EnrollmentStatus, TrainingSubsidyClaim
from apps.training.services import claim_decide
from tests.payments.test_payments import import_return
from tests.training.conftest import make_enrollment, make_program, occupations, walk_to  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
SOURCE = "training.claim"
ACCOUNT = "6217000130001234567"  # a 社保卡 / bank card number: 19 digits
MASKED = "6217***********4567"


def with_bank(person, *, account=ACCOUNT, bank="中国建设银行长春南关支行", account_name=None):
    person.bank_name, person.bank_account = bank, account
    person.bank_account_name = person.name if account_name is None else account_name
    person.phone = "13900002222"
    person.save()
    return person


def approved_claim(occupations, caseworker, supervisor, *, region="220102", bank=True,  # noqa: F811
                   amount=Decimal("1200.50")) -> TrainingSubsidyClaim:
    """An approved skills-assessment claim, written directly (tests/training covers how it is computed)."""
    enrollment = make_enrollment(make_program(occupations, region_id=region), caseworker)
    if bank:
        with_bank(enrollment.person)
    return TrainingSubsidyClaim.objects.create(
        enrollment=enrollment, person=enrollment.person, occupation=enrollment.program.occupation, level="junior",
        kind=TrainingSubsidyClaim.Kind.ASSESSMENT, amount=amount, status=TrainingSubsidyClaim.Status.APPROVED,
        explanation={"steps": [], "parameters": []}, claimed_by=caseworker, approved_by=supervisor,
        approved_at=timezone.now())


def issued(claim, caseworker, supervisor) -> PaymentBatch:
    batch = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    services.batch_approve(user=supervisor, batch_id=batch.pk)
    return services.batch_issue(user=supervisor, batch_id=batch.pk)


def test_the_file_has_the_persons_line_and_its_hash(occupations, caseworker, supervisor):  # noqa: F811
    claim = approved_claim(occupations, caseworker, supervisor)
    person = claim.person
    batch = issued(claim, caseworker, supervisor)
    rows = list(csv.reader(io.StringIO(file_bytes(batch, "csv").decode("utf-8-sig"))))
    body, control = rows[1:-1], rows[-1]
    masked_id = f"{person.id_number[:4]}{'*' * 10}{person.id_number[-4:]}"
    assert body == [[f"P{batch.pk:06d}-00001", masked_id, person.name, "中国建设银行长春南关支行", ACCOUNT, person.name,
                     "1200.50", "技能评价补贴"]]
    assert control[:2] == ["合计", "1"] and control[6] == "1200.50" and control[7] == f"SHA-256:{batch.issued_sha256}"
    recomputed = canonical_hash(purpose=body[0][7], rows=[(*row[:6], Decimal(row[6])) for row in body])
    assert recomputed == (batch.issued_sha256, 1, Decimal("1200.50"))
    assert batch.lines.get().row_key == str(person.pk)


def test_a_paid_return_pays_the_training_claim_and_its_enrollment_and_texts_the_person(occupations, caseworker,  # noqa: F811
                                                                                       supervisor):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "approved", supervisor, caseworker)
    with_bank(enrollment.person)
    claim = enrollment.claims.get()
    assert claim.status == TrainingSubsidyClaim.Status.APPROVED
    line = issued(claim, caseworker, supervisor).lines.get()

    result = import_return(caseworker, [[line.reference, "成功", ""]])
    assert result.status == ImportBatch.Status.SUCCEEDED, result.message
    claim.refresh_from_db()
    line.refresh_from_db()
    assert (claim.status, claim.paid_at) == (TrainingSubsidyClaim.Status.PAID, line.returned_at)
    assert claim.history.first().history_change_reason == f"银行回盘到账：银行回盘：参考号 {line.reference} 支付成功"
    enrollment.refresh_from_db()
    move = enrollment.transitions.last()
    assert enrollment.status == EnrollmentStatus.PAID
    assert (move.action, move.from_status, move.to_status, move.by) == ("bank_paid", "approved", "paid", caseworker)
    assert [(m.channel, m.recipient_address) for m in Message.objects.filter(event="payments.paid")] == [
        ("sms", "13900002222")]

    # The same return again changes nothing: no second move, no second notice.
    assert import_return(caseworker, [[line.reference, "成功", ""]]).status == ImportBatch.Status.SUCCEEDED
    assert enrollment.transitions.filter(action="bank_paid").count() == 1
    assert Message.objects.filter(event="payments.paid").count() == 1
    report = source_report(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert report["balanced"] and report["settled"]


def test_a_failed_return_goes_to_reissue_with_the_corrected_account(occupations, caseworker, supervisor,  # noqa: F811
                                                                     client):
    claim = approved_claim(occupations, caseworker, supervisor)
    line = issued(claim, caseworker, supervisor).lines.get()
    assert import_return(caseworker, [[line.reference, "失败", "户名不符"]]).status == ImportBatch.Status.SUCCEEDED
    claim.refresh_from_db()
    assert (claim.status, claim.paid_at) == (TrainingSubsidyClaim.Status.APPROVED, None)
    assert list(services.failed_lines(user=caseworker).values_list("pk", flat=True)) == [line.pk]
    client.force_login(caseworker)
    worklist = client.get("/payments/reissue/").content.decode()
    assert line.reference in worklist and f"/payments/training-claim/{claim.pk}/" in worklist

    with_bank(claim.person, account="6217000130009999999")
    reissue = services.lines_reissue(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert reissue.lines.get().account_number == "6217000130009999999"
    assert PaymentLine.objects.get(pk=line.pk).status == PaymentLine.Status.REISSUED
    services.batch_approve(user=supervisor, batch_id=reissue.pk)
    services.batch_issue(user=supervisor, batch_id=reissue.pk)
    assert import_return(caseworker, [[reissue.lines.get().reference, "成功", ""]]).status == ImportBatch.Status.SUCCEEDED
    claim.refresh_from_db()
    assert claim.status == TrainingSubsidyClaim.Status.PAID
    counts = {key: value["count"] for key, value in
              source_report(user=caseworker, source_key=SOURCE, source_id=claim.pk)["figures"].items()}
    assert counts == {"issued": 2, "supplement": 0, "paid": 1, "failed": 1, "awaiting": 0, "reissued": 1, "closed": 0, "open": 0}


@pytest.mark.parametrize(("bank", "codes"), [
    ({"bank": "", "account": "", "account_name": ""}, {"bank_name_missing", "bank_account_missing",
                                                        "account_name_missing"}),
    ({"account": "6217-0001"}, {"bank_account_not_digits"}),
    ({"account_name": "李四"}, {"account_name_not_own"}),  # a relative's account: refused for a person
])
def test_a_person_without_own_bank_details_is_listed_before_the_file(occupations, caseworker, supervisor,  # noqa: F811
                                                                    client, bank, codes):
    claim = approved_claim(occupations, caseworker, supervisor, bank=False)
    with_bank(claim.person, **bank)
    readiness = source_readiness(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert [row["row_key"] for row in readiness.blocking] == [str(claim.person_id)]
    assert {p["code"] for p in readiness.blocking[0]["problems"]} == codes
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "bank_details_missing" and "1 名收款人" in refused.value.message
    client.force_login(caseworker)
    page = client.get(f"/payments/training-claim/{claim.pk}/").content.decode()
    assert "名收款人缺少或填错本人银行账户信息" in page and f"/applicants/{claim.person_id}/edit/" in page
    assert claim.person.id_number not in page


@pytest.mark.parametrize("status", ["claimed", "rejected", "paid"])
def test_only_an_approved_claim_is_paid(occupations, caseworker, supervisor, status):  # noqa: F811
    claim = approved_claim(occupations, caseworker, supervisor)
    TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "source_not_payable" and "只有已审核且金额大于零" in refused.value.message


def test_another_regions_claim_is_not_found(occupations, caseworker, supervisor, client):  # noqa: F811
    claim = approved_claim(occupations, caseworker, supervisor, region="220203")
    with pytest.raises(ApplicationError) as refused:
        services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    assert refused.value.code == "not_found"
    client.force_login(caseworker)
    for url in (f"/payments/training-claim/{claim.pk}/", f"/payments/training-claim/{claim.pk}/report/",
                "/payments/training-claim/abc/"):
        assert client.get(url).status_code == 404, url


def test_pages_mask_the_account_and_the_claim_links_to_its_payment(occupations, caseworker, supervisor,  # noqa: F811
                                                                   client):
    claim = approved_claim(occupations, caseworker, supervisor)
    batch = services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    client.force_login(caseworker)
    enrollment_page = client.get(f"/training/enrollments/{claim.enrollment_id}/").content.decode()
    assert f'href="/payments/training-claim/{claim.pk}/"' in enrollment_page
    assert f'id="claim-{claim.pk}"' in enrollment_page  # the payment page's way back (SourceRecord.url)
    for url in (f"/payments/training-claim/{claim.pk}/", f"/payments/batches/{batch.pk}/",
                f"/applicants/{claim.person_id}/", "/applicants/"):
        page = client.get(url).content.decode()
        assert ACCOUNT not in page, url
    assert MASKED in client.get(f"/payments/batches/{batch.pk}/").content.decode()
    assert MASKED in client.get(f"/applicants/{claim.person_id}/").content.decode()


def test_downloading_the_file_is_a_logged_read_of_the_person(occupations, caseworker, supervisor, client):  # noqa: F811
    claim = approved_claim(occupations, caseworker, supervisor)
    batch = issued(claim, caseworker, supervisor)
    client.force_login(caseworker)
    answer = client.get(f"/payments/batches/{batch.pk}/file.csv")
    assert answer.status_code == 200 and ACCOUNT in b"".join(answer.streaming_content if answer.streaming
                                                             else [answer.content]).decode("utf-8-sig")
    assert AccessLog.objects.filter(object_type="payments.paymentbatch", object_id=str(batch.pk),
                                    action=AccessLog.Action.EXPORT).count() == 1
    assert reads_of("applicants.person", claim.person_id).filter(action=AccessLog.Action.EXPORT, user=caseworker
                                                                 ).count() == 1


def test_a_claim_in_a_file_is_not_paid_by_hand(occupations, caseworker, supervisor):  # noqa: F811
    claim = approved_claim(occupations, caseworker, supervisor)
    services.batch_prepare(user=caseworker, source_key=SOURCE, source_id=claim.pk)
    from apps.accounts.models import User
    from tests.factories import UserFactory

    other = UserFactory(username="sup_2", role=User.Role.SUPERVISOR, region_id="220100")
    with pytest.raises(ApplicationError) as refused:
        claim_decide(claim=claim, user=other, decision="pay")
    assert "以银行回盘为准" in refused.value.message
    claim.refresh_from_db()
    assert claim.status == TrainingSubsidyClaim.Status.APPROVED


UNIT_HEADER = ["参考号", "收款单位代码", "收款单位", "开户银行", "收款账号", "户名", "金额", "用途"]
PERSON_HEADER = ["参考号", "收款人身份证号", "收款人", "开户银行", "收款账号", "户名", "金额", "用途"]


def _header(data: bytes, fmt: str) -> list:
    if fmt == "csv":
        return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    from openpyxl import load_workbook

    return list(next(load_workbook(io.BytesIO(data))["发放明细"].iter_rows(max_row=1, values_only=True)))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("payer", "expected"), [("training", PERSON_HEADER), ("refund", UNIT_HEADER)])
def test_the_file_header_names_persons_or_units(request, occupations, caseworker, supervisor, fmt, payer,  # noqa: F811
                                               expected):
    """A personal source (training claims) pays 收款人; a unit source (a refund run) 收款单位 — CSV and XLSX alike."""
    if payer == "training":
        batch = issued(approved_claim(occupations, caseworker, supervisor), caseworker, supervisor)
    else:
        from tests.payments.test_payments import issued_batch

        batch = issued_batch(request.getfixturevalue("approved_run"), caseworker, supervisor)
    assert _header(file_bytes(batch, fmt), fmt) == expected


def test_paid_lines_of_two_files_read_the_files_once(occupations, caseworker, supervisor, approved_run,  # noqa: F811
                                                    django_assert_num_queries):
    """_settle_paid groups the paid lines by file in one pass: one query for the files (it was two, one in
    _record_paid and one in _notify_paid), whatever the number of files and sources."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.payments.test_payments import issued_batch

    claim = approved_claim(occupations, caseworker, supervisor)
    files = [issued(claim, caseworker, supervisor), issued_batch(approved_run, caseworker, supervisor)]
    now = timezone.now()
    lines = []
    for line in PaymentLine.objects.filter(batch__in=files).order_by("pk"):
        line.status, line.returned_at = PaymentLine.Status.PAID, now
        lines.append(line)
    with CaptureQueriesContext(connection) as captured:
        services._settle_paid(lines, caseworker)
    reads_of_files = [q["sql"] for q in captured.captured_queries
                      if q["sql"].lstrip().upper().startswith("SELECT") and 'FROM "payments_paymentbatch"' in q["sql"]]
    assert len(reads_of_files) == 1, reads_of_files
    claim.refresh_from_db()
    assert claim.status == TrainingSubsidyClaim.Status.PAID
    assert Message.objects.filter(event="payments.paid").count() >= 1
    with django_assert_num_queries(0):  # nothing paid: not even the file query
        services._settle_paid([], caseworker)
