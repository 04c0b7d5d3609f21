"""养老服务人才 through the browser: the caseworker registers an institution and a 专职 caregiver on the pages, files a
岗位补贴 claim and sees the amount with the calculator's steps; the caseworker's own review buttons are drawn disabled
(four eyes) and a supervisor approves; a person listed in the 严重失信名单 (listed on its page) is refused with the
reason on the claim form, nothing recorded; the indicators page shows its figures — each page at 1366 px and 390 px."""

import pytest

from apps.core.demo import make_uscc
from apps.eldercare.models import IncentiveClaim, Institution, StaffMember
from tests.browser.conftest import assert_fits, login
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def at_phone(open_page, screenshot, url: str, name: str):
    """The same page for the same caseworker at 390 px: no sideways scroll, and a screenshot to look at."""
    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(url)
    assert_fits(phone, name)
    screenshot(phone, f"{name}-390")
    phone.context.close()


def register_staff(page, institution_name: str, id_number: str):
    page.goto(f"{page.base_url}/eldercare/staff/new/")
    page.select_option("#id_institution", label=institution_name)
    page.fill("#id_id_number", id_number)
    page.select_option("#id_role", "caregiver")
    page.check("#id_full_time")
    page.fill("#id_start_date", "2025-01-01")
    page.click("#eldercare-save")
    page.wait_for_selector("#claim-form")


def test_register_claim_review_refuse_and_indicators(page, open_page, screenshot, caseworker, supervisor):
    carer = PersonFactory(name="浏览器护理员", region_id="220102")
    listed = PersonFactory(name="浏览器失信人", region_id="220102")

    login(page, "cw_nanguan")
    page.click("nav >> text=养老服务人才")
    page.goto(f"{page.base_url}/eldercare/new/")
    page.fill("#id_name", "南关区浏览器福寿养老院")
    page.fill("#id_uscc", make_uscc("220102", 7_654_321))
    page.select_option("#id_ownership", "private")
    page.select_option("#id_region", "220102")
    page.fill("#id_beds", "200")
    page.fill("#id_older_people_served", "1500")
    page.fill("#id_address", "幸福街 8 号")
    page.click("#eldercare-save")
    page.wait_for_selector("text=养老机构“南关区浏览器福寿养老院”已登记")
    institution = Institution.objects.get()
    assert (institution.beds, institution.older_people_served) == (200, 1500)
    screenshot(page, "eldercare-institution")
    at_phone(open_page, screenshot, page.url, "eldercare-institution")

    register_staff(page, institution.name, carer.id_number)
    page.wait_for_selector(f"text={carer.name} 已登记为“{institution.name}”工作人员")
    assert "专职" in page.inner_text("main")
    assert carer.id_number not in page.content()  # masked on the page

    page.select_option("#id_kind", "post_subsidy")
    page.fill("#id_claim_date", "2026-03-01")
    page.fill("#id_months", "6")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-amount")
    assert page.inner_text("#claim-amount") == "1,800.00 元"  # 300.00 × 6, 示例值
    steps = page.locator(".explain-step").all_inner_texts()
    assert any("300.00 × 6" in step for step in steps), steps
    assert page.inner_text("#claim-status") == "待审核"
    assert page.locator("[data-refused-action=approve]").is_disabled()  # the maker may not review
    screenshot(page, "eldercare-claim-submitted")
    at_phone(open_page, screenshot, page.url, "eldercare-claim")
    claim_url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(claim_url)
    page.fill("#note-approve", "材料齐全")
    page.click("#claim-approve")
    page.wait_for_selector("#portal-confirm.show")
    assert "审核通过后补贴金额不再变更" in page.inner_text("#portal-confirm-text")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#claim-status:has-text('已审核')")
    claim = IncentiveClaim.objects.get()
    assert (claim.status, claim.reviewed_by_id, claim.review_note) == (
        IncentiveClaim.Status.APPROVED, supervisor.pk, "材料齐全")
    assert "材料齐全" in page.inner_text("main")
    logout(page)

    # A person in the 严重失信名单: listed on its page, then refused on the claim form, the reason shown.
    login(page, "cw_nanguan")
    register_staff(page, institution.name, listed.id_number)
    staff_url = page.url
    page.goto(f"{page.base_url}/eldercare/blacklist/new/")
    page.select_option("#id_subject", "person")
    page.fill("#id_id_number", listed.id_number)
    page.fill("#id_reason", "克扣老年人生活费")
    page.fill("#id_source", "南民罚〔2026〕5号")
    page.fill("#id_listed_on", "2026-02-01")
    page.click("#eldercare-save")
    page.wait_for_selector("text=已列入严重失信名单")
    page.goto(staff_url)
    page.select_option("#id_kind", "post_subsidy")
    page.fill("#id_claim_date", "2026-03-01")
    page.fill("#id_months", "6")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-form .alert-danger")
    refusal = page.locator("#claim-form")
    assert "列入养老服务严重失信名单（克扣老年人生活费" in refusal.inner_text()
    assert "不予享受补贴" in refusal.inner_text()
    assert page.input_value("#id_months") == "6"  # what was typed stays
    assert IncentiveClaim.objects.filter(staff__person=listed).count() == 0
    screenshot(page, "eldercare-claim-refused")
    assert_fits(page)

    # Indicators: a qualified social worker registered through the form, then the figures of 南关区.
    social_worker = PersonFactory(name="浏览器社工", region_id="220102")
    page.goto(f"{page.base_url}/eldercare/staff/new/")
    page.select_option("#id_institution", label=institution.name)
    page.fill("#id_id_number", social_worker.id_number)
    page.select_option("#id_role", "social_worker")
    page.check("#id_full_time")
    page.check("#id_social_worker_qualified")
    page.fill("#id_start_date", "2025-01-01")
    page.click("#eldercare-save")
    page.wait_for_selector("#claim-form")
    assert StaffMember.objects.filter(social_worker_qualified=True).count() == 1

    page.goto(f"{page.base_url}/eldercare/indicators/")
    row = page.locator("#indicator-table tbody tr", has_text="南关区")
    cells = row.locator("td").all_inner_texts()
    # 1 institution, 200 beds, 1500 older people, 1 social worker; 1 × 1000 / 1500 = 0.67, 1 × 100 / 200 = 0.50
    assert cells[1:7] == ["1", "200", "1,500", "1", "0.67", "0.50"], cells
    assert "老年人未达标" in cells[7] and "床位未达标" in cells[7]
    screenshot(page, "eldercare-indicators")
    at_phone(open_page, screenshot, page.url, "eldercare-indicators")
