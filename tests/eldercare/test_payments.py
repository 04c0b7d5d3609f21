"""An approved 养老服务人才 incentive claim is paid through apps.payments (apps.eldercare.payments): the four awards,
职业培训补贴 and 一次性创业补贴 into the person's own account (户名 = their name), 就业见习补贴 and 社会保险补贴 into
the institution's. One claim, one file of one line; paid when the bank's return says so, once."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError
from apps.eldercare import services
from apps.eldercare.models import IncentiveClaim
from apps.eldercare.payments import INSTITUTION_SOURCE, PERSONAL_SOURCE
from apps.payments import services as payments
from apps.payments.canonical import canonical_hash
from apps.payments.files import file_bytes
from apps.payments.models import PaymentBatch
from apps.payments.selectors import source_readiness
from tests.eldercare.conftest import make_staff
from tests.payments.test_payments import import_return

pytestmark = pytest.mark.django_db
ACCOUNT = "6217000130001234567"
UNIT_ACCOUNT = "220011000018010001234"


def with_bank(payee, *, account=ACCOUNT, name=None):
    payee.bank_name, payee.bank_account = "中国建设银行长春南关支行", account
    payee.bank_account_name = payee.name if name is None else name
    payee.save()
    return payee


def approved(caseworker, supervisor, staff, kind="entry_award", **facts) -> IncentiveClaim:
    claim = services.claim_submit(staff=staff, user=caseworker, kind=kind, claim_date=date(2026, 3, 1), **facts)
    return services.claim_review(claim=claim, user=supervisor, action="approve", today=date(2026, 3, 2))


@pytest.fixture
def entry_claim(caseworker, supervisor, staff):
    with_bank(staff.person)
    return approved(caseworker, supervisor, staff)


def issue(claim, caseworker, supervisor, source=PERSONAL_SOURCE) -> PaymentBatch:
    batch = payments.batch_prepare(user=caseworker, source_key=source, source_id=claim.pk)
    payments.batch_approve(user=supervisor, batch_id=batch.pk)
    return payments.batch_issue(user=supervisor, batch_id=batch.pk)


# ------------------------------------------------------------------ who is paid (the policy's table)

@pytest.mark.parametrize(("kind", "facts", "to_institution"), [
    ("entry_award", {}, False),
    ("post_subsidy", {"months": 3}, False),
    ("skill_award", {}, False),
    ("honour_award", {"honour_level": "city"}, False),
    ("internship", {"months": 3}, True),
    ("social_insurance", {"months": 3}, True),
])
def test_the_payee_is_the_person_or_the_institution_as_the_policy_says(caseworker, supervisor, institution, kind,
                                                                       facts, to_institution):
    staff = make_staff(caseworker, institution, skill_level="senior", college_graduate=True,
                       start_date=date(2024, 1, 1))
    with_bank(staff.person)
    with_bank(institution, account=UNIT_ACCOUNT)
    claim = approved(caseworker, supervisor, staff, kind=kind, **facts)
    assert claim.paid_to_institution is to_institution
    key, other = (INSTITUTION_SOURCE, PERSONAL_SOURCE) if to_institution else (PERSONAL_SOURCE, INSTITUTION_SOURCE)
    batch = payments.batch_prepare(user=caseworker, source_key=key, source_id=claim.pk)
    line = batch.lines.get()
    payee = institution if to_institution else staff.person
    assert (line.payee_name, line.account_number, line.amount) == (payee.name, payee.bank_account, claim.amount)
    with pytest.raises(ApplicationError) as refused:  # never in a file of the other source
        payments.batch_prepare(user=caseworker, source_key=other, source_id=claim.pk)
    assert refused.value.code == "not_found"


def test_a_personal_award_into_someone_elses_account_is_blocking(caseworker, supervisor, staff):
    with_bank(staff.person, name="王某某")
    claim = approved(caseworker, supervisor, staff)
    readiness = source_readiness(user=caseworker, source_key=PERSONAL_SOURCE, source_id=claim.pk)
    assert not readiness.ready
    assert readiness.blocking[0]["problems"][0]["code"] == "account_name_not_own"
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=claim.pk)
    assert refused.value.code == "bank_details_missing"


def test_an_institution_without_bank_details_blocks_and_links_to_its_form(caseworker, supervisor, institution):
    staff = make_staff(caseworker, institution, college_graduate=True, start_date=date(2024, 1, 1))
    claim = approved(caseworker, supervisor, staff, kind="internship", months=3)
    readiness = source_readiness(user=caseworker, source_key=INSTITUTION_SOURCE, source_id=claim.pk)
    assert [row["row_key"] for row in readiness.blocking] == [str(institution.pk)]
    assert readiness.blocking[0]["url"] == f"/eldercare/{institution.pk}/edit/"
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=INSTITUTION_SOURCE, source_id=claim.pk)
    assert refused.value.code == "bank_details_missing" and not PaymentBatch.objects.exists()


# ------------------------------------------------------------------ payable, scoped, once

@pytest.mark.parametrize("status", [IncentiveClaim.Status.SUBMITTED, IncentiveClaim.Status.REJECTED,
                                    IncentiveClaim.Status.PAID])
def test_only_an_approved_claim_is_payable(caseworker, supervisor, entry_claim, status):
    IncentiveClaim.objects.filter(pk=entry_claim.pk).update(status=status)
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    assert refused.value.code == "source_not_payable" and "只有已审核且金额大于零" in refused.value.message


def test_another_regions_user_gets_404(caseworker, supervisor, other_caseworker, entry_claim, client):
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=other_caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    assert refused.value.code == "not_found"
    client.force_login(other_caseworker)
    for url in (f"/payments/eldercare-claim/{entry_claim.pk}/", f"/payments/eldercare-claim/{entry_claim.pk}/report/"):
        assert client.get(url).status_code == 404, url


def test_a_claim_in_a_file_goes_into_no_second_one(caseworker, supervisor, entry_claim):
    payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    assert refused.value.code == "batch_exists"
    assert PaymentBatch.objects.count() == 1


def test_the_file_line_and_its_hash_are_unchanged_from_prepare_to_issue(caseworker, supervisor, entry_claim):
    person = entry_claim.person
    prepared = payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    payments.batch_approve(user=supervisor, batch_id=prepared.pk)
    batch = payments.batch_issue(user=supervisor, batch_id=prepared.pk)
    assert batch.issued_sha256 == prepared.sha256
    rows = list(csv.reader(io.StringIO(file_bytes(batch, "csv").decode("utf-8-sig"))))
    assert rows[0][1:3] == ["收款人身份证号", "收款人"]
    body = rows[1:-1]
    assert [row[2:] for row in body] == [[person.name, "中国建设银行长春南关支行", ACCOUNT, person.name,
                                          f"{entry_claim.amount:.2f}", "养老服务人才入职奖励"]]
    assert canonical_hash(purpose=body[0][7], rows=[(*row[:6], Decimal(row[6])) for row in body])[0] == batch.sha256


def test_an_account_changed_after_approval_invalidates_it(caseworker, supervisor, entry_claim):
    batch = payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=entry_claim.pk)
    payments.batch_approve(user=supervisor, batch_id=batch.pk)
    with_bank(entry_claim.person, account="6217000130009999999")
    with pytest.raises(ApplicationError) as refused:
        payments.batch_issue(user=supervisor, batch_id=batch.pk)
    assert refused.value.code == "approval_invalidated"


def test_the_banks_paid_return_pays_the_claim_once(caseworker, supervisor, entry_claim):
    batch = issue(entry_claim, caseworker, supervisor)
    reference = batch.lines.get().reference
    import_return(caseworker, [[reference, "paid", ""]])
    entry_claim.refresh_from_db()
    assert entry_claim.status == IncentiveClaim.Status.PAID and entry_claim.paid_reference == reference
    paid_at, history = entry_claim.paid_at, entry_claim.history.count()
    assert paid_at is not None
    assert "银行回盘" in entry_claim.history.first().history_change_reason
    import_return(caseworker, [[reference, "paid", ""]])  # the same return again: nothing more
    entry_claim.refresh_from_db()
    assert (entry_claim.status, entry_claim.paid_at, entry_claim.history.count()) == (IncentiveClaim.Status.PAID,
                                                                                    paid_at, history)


def test_a_failed_return_leaves_the_claim_approved(caseworker, supervisor, entry_claim):
    batch = issue(entry_claim, caseworker, supervisor)
    import_return(caseworker, [[batch.lines.get().reference, "failed", "户名不符"]])
    entry_claim.refresh_from_db()
    assert entry_claim.status == IncentiveClaim.Status.APPROVED and entry_claim.paid_at is None


# ------------------------------------------------------------------ the pages, end to end

def test_a_caseworker_and_a_reviewer_walk_a_claim_to_paid(caseworker, supervisor, staff, client_for, api_for):
    """One test client, logged in as whoever acts (client_for logs the same client in again)."""
    with_bank(staff.person)
    claim = services.claim_submit(staff=staff, user=caseworker, kind="entry_award", claim_date=date(2026, 3, 1))
    page = client_for(caseworker).get(f"/eldercare/claims/{claim.pk}/").content.decode()
    assert "payment-link" not in page  # not approved yet: no 发放
    client_for(supervisor).post(f"/eldercare/claims/{claim.pk}/review/", {"action": "approve", "note": "同意"})
    claim.refresh_from_db()
    assert claim.status == IncentiveClaim.Status.APPROVED

    maker = client_for(caseworker)
    page = maker.get(f"/eldercare/claims/{claim.pk}/").content.decode()
    assert f'href="/payments/eldercare-claim/{claim.pk}/"' in page and "本人账户" in page
    payment_page = maker.get(f"/payments/eldercare-claim/{claim.pk}/").content.decode()
    assert f"{staff.person.name} 入职奖励" in payment_page and ACCOUNT not in payment_page
    response = maker.post(f"/payments/eldercare-claim/{claim.pk}/prepare/")
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payments/batches/{batch.pk}/"
    checker = client_for(supervisor)
    assert "养老服务人才入职奖励" in checker.get(f"/payments/batches/{batch.pk}/").content.decode()  # the purpose
    checker.post(f"/payments/batches/{batch.pk}/approve/")
    checker.post(f"/payments/batches/{batch.pk}/issue/")
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.ISSUED

    text = io.StringIO()
    csv.writer(text).writerows([["reference", "result", "failure_reason"], [batch.lines.get().reference, "paid", ""]])
    seen = []
    for _ in range(2):  # imported twice: the second changes nothing
        upload = io.BytesIO(text.getvalue().encode())
        upload.name = "回盘.csv"
        answer = api_for(caseworker).post("/api/v1/imports/", {"kind": "payment_returns", "file": upload},
                                          format="multipart")
        assert answer.status_code in (200, 201), answer.content
        claim.refresh_from_db()
        seen.append((claim.status, claim.paid_at, claim.history.count()))
    assert seen[0][0] == IncentiveClaim.Status.PAID and seen[0][1] is not None
    assert seen[1] == seen[0]
    page = client_for(caseworker).get(f"/eldercare/claims/{claim.pk}/").content.decode()
    assert 'id="claim-paid-at"' in page and "已发放" in page


def test_the_institution_form_takes_the_bank_details_normalised(caseworker, institution, client_for):
    client = client_for(caseworker)
    page = client.get(f"/eldercare/{institution.pk}/edit/")
    assert page.status_code == 200 and "bank_account" in page.content.decode()
    data = {"name": institution.name, "uscc": institution.uscc, "ownership": institution.ownership,
            "region": institution.region_id, "beds": institution.beds,
            "older_people_served": institution.older_people_served, "address": "", "bank_name": "中国银行南关支行",
            "bank_account": "２２００ 1100 0018 0100 01234", "bank_account_name": institution.name}
    response = client.post(f"/eldercare/{institution.pk}/edit/", {**data, "form_token": page.context["form_token"]})
    assert response.status_code == 302, response.content.decode()[:2000]
    institution.refresh_from_db()
    assert institution.bank_account == UNIT_ACCOUNT
    token = client.get(f"/eldercare/{institution.pk}/edit/").context["form_token"]
    bad = client.post(f"/eldercare/{institution.pk}/edit/", {**data, "bank_account": "12345", "form_token": token})
    assert bad.status_code == 200 and "位" in bad.content.decode()
    detail = client.get(f"/eldercare/{institution.pk}/").content.decode()
    assert UNIT_ACCOUNT not in detail and UNIT_ACCOUNT[-4:] in detail  # masked on the page


def test_another_regions_institution_form_is_404(other_caseworker, institution, client_for):
    assert client_for(other_caseworker).get(f"/eldercare/{institution.pk}/edit/").status_code == 404


def test_the_payments_page_lists_the_new_sources_in_chinese():
    from apps.payments.sources import SOURCES

    assert SOURCES[PERSONAL_SOURCE].label == "养老服务人才补贴（个人）" and SOURCES[PERSONAL_SOURCE].personal
    assert SOURCES[INSTITUTION_SOURCE].label == "养老服务人才补贴（机构）" and not SOURCES[INSTITUTION_SOURCE].personal

