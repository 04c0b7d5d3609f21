"""创业担保贷款 through the browser: the caseworker types an application with a bad 统一社会信用代码 — the field error
in Chinese, everything typed still there —, corrects it and sees the decision (capped at the 示例值, the steps); the
maker's 审核通过 is drawn disabled (four eyes) and a supervisor approves (the confirm dialog); with the bank's schedule
in (written through the service as setup — the import page is not driven here; tests/startup_loans/test_import.py
checks that kind), the caseworker computes the 贴息 claim and sees its per-period steps; the supervisor approves it.
Pages at 1366 px and 390 px."""

from decimal import Decimal

import pytest

from apps.startup_loans.models import LoanApplication, SubsidyClaim
from tests.browser.conftest import assert_fits, login
from tests.startup_loans.conftest import schedule, target_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = {"#id_application_date": "2026-03-01", "#id_business_name": "南关区返乡农家菜馆",
         "#id_amount_requested": "320000.00", "#id_term_months": "24", "#id_lender_bank": "吉林银行长春南关支行"}


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def at_phone(open_page, screenshot, url: str, name: str, username: str = "cw_nanguan"):
    phone = open_page(390, 844)
    login(phone, username)
    phone.goto(url)
    assert_fits(phone, name)
    screenshot(phone, f"{name}-390")
    phone.context.close()


def approve(page, text: str):
    page.click("#action-approve")
    page.wait_for_selector("#portal-confirm.show")
    assert text in page.inner_text("#portal-confirm-text")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=已审核通过")


def test_apply_with_a_field_error_review_and_claim_the_interest_subsidy(page, open_page, screenshot, caseworker,
                                                                        supervisor):
    person = target_person(name="浏览器创业者")  # a 农民工 of 南关区 in the registry

    login(page, "cw_nanguan")
    page.click("nav >> text=创业担保贷款")
    page.goto(f"{page.base_url}/startup-loans/new/")
    page.fill("#id_id_number", person.id_number)
    for selector, value in TYPED.items():
        page.fill(selector, value)
    page.fill("#id_business_uscc", "91220101MA0Y3XXXX1")
    page.click("#application-save")
    error = page.locator("#id_business_uscc ~ .invalid-feedback")
    error.wait_for()
    assert error.inner_text() == "统一社会信用代码校验位错误"
    assert "提交的内容有误" in page.inner_text("main")
    assert page.input_value("#id_id_number") == person.id_number  # nothing lost from what was typed
    assert {selector: page.input_value(selector) for selector in TYPED} == TYPED
    assert page.input_value("#id_business_uscc") == "91220101MA0Y3XXXX1"
    assert not LoanApplication.objects.exists()
    screenshot(page, "startup-loans-field-error")
    assert_fits(page)

    page.fill("#id_business_uscc", "")
    page.click("#application-save")
    page.wait_for_selector("#decision")
    application = LoanApplication.objects.get()
    assert page.inner_text("[data-testid=guaranteed]") == "300,000.00"  # capped at the 示例值
    assert page.inner_text("[data-testid=share]") == "50%"
    assert page.inner_text("#target-groups") == "农民工（返乡入乡创业农民工）"
    assert "超过上限，按上限核定" in page.inner_text("#decision")
    assert page.locator("[data-refused-action=approve]").is_disabled()  # the maker may not review
    screenshot(page, "startup-loans-application")
    at_phone(open_page, screenshot, page.url, "startup-loans-application")
    url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(url)
    approve(page, "按核定额度办理担保贷款")
    application.refresh_from_db()
    assert (application.status, application.reviewed_by_id) == (LoanApplication.Status.APPROVED, supervisor.pk)
    logout(page)

    schedule(application, paid=(1, 2, 3), interest="583.33")  # three periods repaid of six
    login(page, "cw_nanguan")
    page.goto(url)
    assert "可申请期次：3" in page.inner_text("#claim-form")
    page.click("#claim-create")
    page.wait_for_selector("#explanation")
    claim = SubsidyClaim.objects.get()
    # 3 × (583.33 × 50%) = 874.995 → 875.00, rounded half-up once at the end (not 3 × 291.67 = 875.01)
    assert claim.amount == Decimal("875.00")
    assert page.inner_text("[data-testid=claim-amount]") == "875.00"
    steps = page.locator("#explanation .explain-step").all_inner_texts()
    assert [s.split("：")[0] for s in steps if s.startswith("第")] == ["第 1 期贴息", "第 2 期贴息", "第 3 期贴息"]
    assert all("利息 583.33 × 50%" in s for s in steps if s.startswith("第")), steps
    assert any(s.startswith("贴息合计（四舍五入到分）") and "875.00" in s for s in steps), steps
    assert page.locator("[data-refused-action=approve]").is_disabled()
    screenshot(page, "startup-loans-claim")
    at_phone(open_page, screenshot, page.url, "startup-loans-claim")
    claim_url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(claim_url)
    approve(page, "审核通过后贴息金额不再变更")
    claim.refresh_from_db()
    assert claim.status == SubsidyClaim.Status.APPROVED
