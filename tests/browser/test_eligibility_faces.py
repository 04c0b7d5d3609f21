"""Main flows of the eligibility faces in a real browser: the policy calculator and the benefits panel."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.applicants.services import household_add_member
from tests.browser.conftest import assert_fits, login
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


def _maternity_medical(page, day: str, delivery: str, prenatal: str = "0", planning: str = "0"):
    """The 灵活就业人员生育医疗费用 facts computed on the calculator page → (result card text, steps by label)."""
    page.fill("input[name=facts-service_date]", day)
    page.check("input[name=facts-flexible_worker]")
    page.fill("input[name=facts-delivery_cost]", delivery)
    page.fill("input[name=facts-prenatal_checkup_cost]", prenatal)
    page.fill("input[name=facts-family_planning_cost]", planning)
    page.click("button[value=compute]")
    card = page.wait_for_selector(f".result-card[data-calculator=maternity-medical]:has-text('{day}')")
    steps = {}
    for row in page.locator(".result-card .steps-table tbody tr").all():
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        steps[cells[1]] = (cells[2], cells[3])
    return card.inner_text(), steps


def test_maternity_medical_costs_inside_the_policy_dates_and_on_the_boundary(page, open_page, screenshot,
                                                                              caseworker):
    """R2 生育医疗费用 (the shipped 2024 average wage is published 2025-06-30: in force from 2025-07-01): a delivery
    with prenatal check-ups and family planning in August 2025, then the first day in force and the day before,
    each explained in Chinese steps."""
    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/eligibility/calculator/")
    page.click(".calc-nav >> text=灵活就业人员生育医疗费用")
    page.wait_for_selector("input[name=facts-service_date]")

    text, steps = _maternity_medical(page, "2025-08-15", "6800.00", "1200.50", "300.25")
    assert "可享受" in text and "¥ 8,300.75" in text
    assert steps["住院分娩"] == ("（6,800.00 − 起付标准 0.00） × 100%", "6,800.00")  # 不设起付标准，100%
    assert steps["产前检查"] == ("1,200.50 × 100%", "1,200.50")
    assert steps["计划生育"] == ("300.25 × 100%", "300.25")
    assert steps["生育医疗费用报销合计"] == ("以上三项相加，合计四舍五入到分", "8,300.75")
    assert steps["施行日期"] == ("2024年度全省社平工资 2025-06-30 公布，2025-07-01 起施行", "已施行")
    assert "参数适用日期 2025-08-15" in text
    screenshot(page, "eligibility-calculator-maternity-medical")

    # The first day in force: reimbursed. The day before (the wage published that day): 未施行, nothing paid.
    text, steps = _maternity_medical(page, "2025-07-01", "6800.00")
    assert "可享受" in text and "¥ 6,800.00" in text and steps["施行日期"][1] == "已施行"
    text, steps = _maternity_medical(page, "2025-06-30", "6800.00")
    assert "不符合" in text and "¥ 0.00" in text
    assert "就诊日期 2025-06-30 早于施行日期：生育保险待遇自上年度社平工资公布次月起施行" in text
    assert steps["住院分娩"][1] == "6,800.00"  # the arithmetic is still shown …
    assert steps["生育医疗费用报销合计"] == ("以上三项相加，合计四舍五入到分（不符合条件，不予报销）", "0.00")  # … not paid
    assert steps["施行日期"] == ("就诊时上年度社平工资尚未公布或未到公布次月", "未施行")
    screenshot(page, "eligibility-calculator-maternity-medical-boundary")

    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(f"{phone.base_url}/eligibility/calculator/?calculator=maternity-medical")
    text, _steps = _maternity_medical(phone, "2025-08-15", "6800.00", "1200.50", "300.25")
    assert "¥ 8,300.75" in text
    assert_fits(phone, "政策计算器 生育医疗费用")
    screenshot(phone, "eligibility-calculator-maternity-medical-390")


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
