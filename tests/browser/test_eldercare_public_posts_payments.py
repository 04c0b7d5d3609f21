"""The 发放 faces of 养老服务人才 claims and 公益性岗位 runs at a phone's width (390 px): the claim page's 发放 section,
the institution's bank-details form, the payment page of each new source, and the run page's two payment links."""

from datetime import date

import pytest

from apps.eldercare import services as eldercare
from apps.payments import services as payments
from tests.browser.conftest import assert_fits, login
from tests.eldercare.conftest import make_institution, make_staff
from tests.eldercare.test_payments import with_bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_payment_and_institution_form_fit_390px(open_page, live_server, screenshot, caseworker, supervisor):
    institution = make_institution(caseworker)
    staff = make_staff(caseworker, institution, college_graduate=True, start_date=date(2024, 1, 1))
    with_bank(staff.person)
    claim = eldercare.claim_submit(staff=staff, user=caseworker, kind="entry_award", claim_date=date(2026, 3, 1))
    eldercare.claim_review(claim=claim, user=supervisor, action="approve", today=date(2026, 3, 2))
    unit_claim = eldercare.claim_submit(staff=staff, user=caseworker, kind="internship", claim_date=date(2026, 3, 1),
                                        months=3)
    eldercare.claim_review(claim=unit_claim, user=supervisor, action="approve", today=date(2026, 3, 2))
    payments.batch_prepare(user=caseworker, source_key="eldercare.claim", source_id=claim.pk)

    page = open_page(390, 844)
    page.base_url = live_server.url
    login(page, "cw_nanguan")
    page.goto(f"{live_server.url}/eldercare/claims/{claim.pk}/")
    page.wait_for_selector("#claim-payment")
    assert_fits(page)
    screenshot(page, "eldercare-claim-payment-390")
    page.click("#payment-link")
    page.wait_for_selector("#readiness")
    assert_fits(page)
    page.goto(f"{live_server.url}/payments/eldercare-institution-claim/{unit_claim.pk}/")
    page.wait_for_selector("#missing-bank-details")
    assert institution.name in page.locator("#readiness").inner_text()
    assert_fits(page)
    screenshot(page, "eldercare-institution-missing-bank-390")
    page.goto(f"{live_server.url}/eldercare/{institution.pk}/edit/")
    page.wait_for_selector("#id_bank_account")
    assert_fits(page)
    page.goto(f"{live_server.url}/eldercare/{institution.pk}/")
    page.wait_for_selector("#institution-bank-account")
    assert_fits(page)
