"""创业担保贷款 in a phone-sized browser (390 px): the caseworker registers a lender bank in the 经办银行名录 (the
account typed in groups), links an older loan to it on the loan's page, and opens the approved claim's 贴息拨付
card and its payment page — every page without sideways scrolling, under the CSP."""

import pytest

from apps.startup_loans.models import Lender, LoanApplication
from tests.browser.conftest import assert_fits, login
from tests.startup_loans.conftest import approved_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lender_registry_link_and_claim_payment_on_a_phone(open_page, screenshot, caseworker, supervisor):
    claim = approved_claim(caseworker, supervisor)  # a loan naming its bank as text only
    page = open_page(390, 844)
    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/startup-loans/lenders/")
    page.wait_for_selector("h1:has-text('经办银行名录')")
    assert_fits(page, "lender list")
    page.click("#lender-create")
    page.fill("#id_name", "吉林银行股份有限公司长春南关支行")
    page.fill("#id_uscc", "91220102MA8800001P")
    page.select_option("#id_region", "220102")
    page.fill("#id_bank_name", "吉林银行长春南关支行营业部")
    page.fill("#id_bank_account", "2205 0161 0000 1234 5678")
    page.fill("#id_bank_account_name", "吉林银行股份有限公司长春南关支行")
    assert_fits(page, "lender form")
    page.click("#lender-save")
    page.wait_for_selector("#lender-table >> text=吉林银行股份有限公司长春南关支行")
    assert "2205************5678" in page.inner_text("#lender-table")
    lender = Lender.objects.get()

    page.goto(f"{page.base_url}/startup-loans/{claim.application_id}/")
    page.wait_for_selector("#lender-link")
    assert_fits(page, "loan page")
    page.select_option("#lender-link select[name=lender]", str(lender.pk))
    page.click("#lender-link button[type=submit]")
    page.wait_for_selector("text=已关联经办银行")
    assert LoanApplication.objects.get(pk=claim.application_id).lender_id == lender.pk

    page.goto(f"{page.base_url}/startup-loans/claims/{claim.pk}/")
    page.wait_for_selector("#payment >> text=吉林银行股份有限公司长春南关支行")
    assert_fits(page, "claim page")
    screenshot(page, "startup-loan-claim-payment")
    page.click("#payment-link")
    page.wait_for_selector("h1")
    assert_fits(page, "payment page")
