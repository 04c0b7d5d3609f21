"""An approved monthly 公益性岗位 subsidy run is paid through apps.payments (apps.public_posts.payments): the 岗位补贴
share to each person's own account, the 社会保险补贴 share to each 用人单位 that paid the contributions; the two
files together pay exactly the run's total."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError
from apps.core.models import Region
from apps.payments import services as payments
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.selectors import source_readiness
from apps.public_posts import services
from apps.public_posts.models import SubsidyRun
from apps.public_posts.payments import INSURANCE_SOURCE, PERSONAL_SOURCE
from tests.factories import UserFactory
from tests.payments.test_payments import import_return
from tests.public_posts.conftest import difficult_person, make_post

pytestmark = pytest.mark.django_db
END = date(2027, 2, 28)


def with_bank(payee, n=1, name=None):
    payee.bank_name, payee.bank_account = "中国农业银行长春南关支行", f"62284800{n:011d}"
    payee.bank_account_name = payee.name if name is None else name
    payee.save()
    return payee


def place(post, user, start):
    person = with_bank(difficult_person(), n=post.pk * 100 + start.day)
    return services.placement_create(post=post, person=person, start_date=start, agreed_end_date=END, user=user)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev_pp", role="supervisor", region_id="220100")


@pytest.fixture
def approved_run(caseworker, reviewer, start_run):
    """Two people on one registered employer's post (a whole March, and from 16 March), all bank details right."""
    post = make_post(caseworker)
    with_bank(post.employer, n=9)
    place(post, caseworker, date(2026, 3, 1))
    place(post, caseworker, date(2026, 3, 16))
    run = start_run(user=caseworker, region=Region.objects.get(pk="220102"), month=date(2026, 3, 1))
    return services.run_review(run=run, user=reviewer, action="approve")


def test_the_person_gets_the_post_share_the_employer_the_insurance_share(approved_run, caseworker):
    person_batch = payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    unit_batch = payments.batch_prepare(user=caseworker, source_key=INSURANCE_SOURCE, source_id=approved_run.pk)
    people = sorted(person_batch.lines.values_list("amount", flat=True))
    # 1900.00 a whole month; 16 of 31 days: 2750 × 16 ÷ 31 = 1419.35, of it 社保 850 × 16 ÷ 31 = 438.71
    assert people == [Decimal("980.64"), Decimal("1900.00")]
    assert all(line.account_name == line.payee_name for line in person_batch.lines.all())
    unit = unit_batch.lines.get()
    employer = approved_run.lines.first().placement.post.employer
    assert (unit.payee_name, unit.account_number, unit.amount) == (employer.name, employer.bank_account,
                                                                   Decimal("850.00") + Decimal("438.71"))
    assert person_batch.total_amount + unit_batch.total_amount == approved_run.total_amount


@pytest.mark.parametrize("status", [SubsidyRun.Status.COMPUTED, SubsidyRun.Status.REJECTED])
def test_only_an_approved_run_is_payable(approved_run, caseworker, status):
    SubsidyRun.objects.filter(pk=approved_run.pk).update(status=status)
    for source in (PERSONAL_SOURCE, INSURANCE_SOURCE):
        with pytest.raises(ApplicationError) as refused:
            payments.batch_prepare(user=caseworker, source_key=source, source_id=approved_run.pk)
        assert refused.value.code == "source_not_payable"


def test_another_regions_user_gets_404(approved_run, other_caseworker, client_for):
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=other_caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    assert refused.value.code == "not_found"
    client = client_for(other_caseworker)
    for slug in ("public-post-run", "public-post-run-insurance"):
        assert client.get(f"/payments/{slug}/{approved_run.pk}/").status_code == 404


def test_a_run_in_a_file_goes_into_no_second_one_and_the_hash_holds(approved_run, caseworker, reviewer):
    batch = payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    assert refused.value.code == "batch_exists"
    payments.batch_approve(user=reviewer, batch_id=batch.pk)
    issued = payments.batch_issue(user=reviewer, batch_id=batch.pk)
    assert issued.issued_sha256 == batch.sha256


def test_a_person_with_someone_elses_account_and_an_unregistered_unit_block(approved_run, caseworker):
    line = approved_run.lines.order_by("id").first()
    with_bank(line.person, name="李某")
    readiness = source_readiness(user=caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    assert [row["row_key"] for row in readiness.blocking] == [str(line.person_id)]
    with pytest.raises(ApplicationError) as refused:
        payments.batch_prepare(user=caseworker, source_key=PERSONAL_SOURCE, source_id=approved_run.pk)
    assert refused.value.code == "bank_details_missing"

    post = line.placement.post
    type(post).objects.filter(pk=post.pk).update(employer=None)  # only a name: no account to pay into
    readiness = source_readiness(user=caseworker, source_key=INSURANCE_SOURCE, source_id=approved_run.pk)
    assert [row["row_key"] for row in readiness.blocking] == [f"post:{post.pk}"]
    assert readiness.blocking[0]["url"] == f"/public-posts/{post.pk}/"


def test_the_run_page_links_both_files_and_the_return_is_imported_once(approved_run, caseworker, reviewer,
                                                                        client_for):
    page = client_for(caseworker).get(f"/public-posts/runs/{approved_run.pk}/").content.decode()
    assert f'href="/payments/public-post-run/{approved_run.pk}/"' in page
    assert f'href="/payments/public-post-run-insurance/{approved_run.pk}/"' in page
    response = client_for(caseworker).post(f"/payments/public-post-run-insurance/{approved_run.pk}/prepare/")
    batch = PaymentBatch.objects.get()
    assert response["Location"] == f"/payments/batches/{batch.pk}/"
    checker = client_for(reviewer)
    checker.post(f"/payments/batches/{batch.pk}/approve/")
    checker.post(f"/payments/batches/{batch.pk}/issue/")
    reference = batch.lines.get().reference
    for _ in range(2):
        import_return(caseworker, [[reference, "paid", ""]])
    assert PaymentLine.objects.get().status == PaymentLine.Status.PAID
