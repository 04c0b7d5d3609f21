"""Main fraud flow in a browser: 立案 → 开始调查 → 作出认定 (the caseworker) → the caseworker's review button is drawn
disabled (four eyes) → 审核通过 by a supervisor (the confirm dialog) → the person page shows 暂停医保直接结算."""

import pytest

from tests.browser.conftest import login
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def test_case_finding_review_tag(page, screenshot, caseworker, supervisor):
    person = PersonFactory(name="浏览器冒用人", region_id="220102")
    login(page, "cw_nanguan")
    page.click("nav >> text=欺诈骗保")
    page.wait_for_selector("h1:has-text('欺诈骗保案件')")
    page.click("a.btn:has-text('立案')")
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_reported_on", "2026-11-20")
    page.fill("#id_hospital", "长春市浏览器医院")
    page.fill("#id_amount_billed", "8600.00")
    page.click("#case-save")
    page.wait_for_selector("h1:has-text('骗保案件 #')")
    page.click("[data-action=investigate]")
    page.wait_for_selector("#find-form")
    page.fill("#id_misused_amount", "8600.00")
    page.fill("#id_facts_summary", "工伤住院费用由医保基金结算")
    page.click("#find-submit")
    page.wait_for_selector("#finding")
    assert page.inner_text("[data-testid=fine]") == "21,500.00"  # 8600 × 2.5, from the calculator
    assert page.locator("[data-refused-action=approve]").is_disabled()  # the finder may not review
    screenshot(page, "fraud-case-found")
    url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(url)
    page.click("[data-action=approve]")
    page.wait_for_selector("#portal-confirm.show")
    assert "暂停医保直接结算" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("[data-status=effective]")
    page.click("#person-link")
    page.wait_for_selector("text=暂停医保直接结算")
    screenshot(page, "fraud-person-tag")
