"""Main flows of the eligibility faces in a real browser: the policy calculator and the benefits panel."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.applicants.services import household_add_member
from tests.browser.conftest import login
from tests.factories import ContributionFactory, EmployerFactory, PersonFactory, StatusTagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_staff_compute_maternity_allowance_and_stable_job_refund(page, screenshot, caseworker):
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.click("nav >> text=政策计算器")
    page.wait_for_selector("#facts-form")

    # Maternity allowance (the default calculator); first a mistake, shown in Chinese on the field.
    page.click("button[value=compute]")
    page.wait_for_selector(".invalid-feedback")
    assert "该字段是必填项" in page.inner_text("#facts-form")
    page.fill("input[name=facts-delivery_date]", "2025-08-15")
    page.check("input[name=facts-flexible_worker]")
    page.fill("input[name=facts-continuous_enrollment_months]", "14")
    page.click("button[value=compute]")
    card = page.wait_for_selector(".result-card")
    assert "20,335.00" in card.inner_text() and "可享受" in card.inner_text()
    assert page.is_visible("text=缴费基数")  # steps open on the calculator page
    screenshot(page, "eligibility-calculator-maternity")

    page.click(".calc-nav >> text=失业保险稳岗返还")
    page.wait_for_selector("select[name=facts-entity_type]")
    page.fill("input[name=facts-facts_year]", "2025")
    page.select_option("select[name=facts-entity_type]", "enterprise")
    page.select_option("select[name=facts-size_class]", "small")
    page.fill("input[name=facts-months_paid_in_full]", "12")
    page.fill("input[name=facts-headcount_start]", "40")
    page.fill("input[name=facts-headcount_end]", "39")
    page.fill("input[name=facts-contributions_paid]", "86400.00")
    page.click("button[value=compute]")
    card = page.wait_for_selector(".result-card[data-calculator=stable-job-refund]")
    text = card.inner_text()
    assert "51,840.00" in text and "裁员率" in text and "失业保险稳岗返还政策" in text
    screenshot(page, "eligibility-calculator-refund")


def test_benefits_panel_explains_in_chinese(page, screenshot, caseworker):
    # A parent's page: the child's subsidy comes from the household registry.
    parent = PersonFactory(region_id="220102", name="李秀兰", birth=date(1993, 8, 12), female=True)
    child = PersonFactory(region_id="220102", name="李小满", birth=date(timezone.localdate().year - 1, 3, 10))
    household_add_member(person=parent, member=child, relation="child")
    StatusTagFactory(person=child, tag="minimum_living", since=date(2024, 1, 1))
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/applicants/{parent.pk}/")
    panel = page.wait_for_selector("#benefits-panel")
    text = panel.inner_text()
    assert "国家育儿补贴" in text and "子女 李小满" in text and "3,600.00" in text
    assert "已登记低保家庭儿童" in text  # preschool aid: pending, the kindergarten is not in the registry
    page.click("#benefits-panel >> text=计算步骤")
    page.wait_for_selector("#steps-benefit-0.show")
    page.click("#benefits-panel >> text=政策参数与依据文件")
    page.wait_for_selector("#params-benefit-0.show")
    assert page.is_visible("text=育儿补贴制度实施方案") and page.is_visible("text=计发月数")
    screenshot(page, "eligibility-benefits-panel")

    page.click("#benefits-panel >> text=保存为待遇测算决定")
    page.wait_for_selector("text=保存时的测算结果")
    page.click("text=按当前参数重算")
    page.wait_for_selector("#comparison")
    assert "重算结果相同" in page.inner_text("#comparison")
    screenshot(page, "eligibility-determination")


def test_employer_panel_shows_size_and_refund(page, screenshot, caseworker):
    year = timezone.localdate().year - 1
    employer = EmployerFactory(region_id="220102", name="长白山机械制造有限公司", employees=50,
                               revenue_10k=Decimal("5000"))
    for month in range(1, 13):
        ContributionFactory(employer=employer, period=date(year, month, 1))
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/employers/{employer.pk}/")
    panel = page.wait_for_selector("#employer-panel")
    assert "小型企业" in panel.inner_text() and "7,200.00" in panel.inner_text()
    screenshot(page, "eligibility-employer-panel")
