"""Main flow: a caseworker walks a disadvantaged child's case from report to closure in the browser."""

from datetime import date

import pytest

from apps.child_welfare.models import Case, Status
from tests.browser.conftest import login
from tests.child_welfare.conftest import child_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_action(page, label):
    page.click(f"#actions button:has-text('{label}')")
    page.wait_for_load_state()


def test_case_from_report_to_closure(page, screenshot, caseworker, supervisor):
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.click("nav >> text=困境儿童")
    page.wait_for_selector("h1:has-text('困境儿童工作台')")

    page.click("text=报告困境儿童")
    page.fill("input[name=child_name]", "陈小雨")
    page.fill("input[name=child_id_number]", child_id(birth=date(2022, 4, 5)))
    page.fill("input[name=township]", "曙光街道")
    page.fill("input[name=village]", "明珠社区")
    page.select_option("select[name=referral_source]", "school")
    page.select_option("select[name=risk_level]", "high")
    page.fill("textarea[name=risk_reason]", "幼儿园老师发现身上多处淤青")
    page.check("input[value=minimum_living_allowance]")
    page.check("input[value=at_risk_of_harm]")
    page.fill("input[name=guardian_name]", "陈某")
    page.fill("input[name=guardian_relationship]", "父亲")
    page.select_option("select[name=guardian_situation]", "working_away")
    screenshot(page, "child-welfare-report")
    page.click("button:has-text('建立个案')")
    page.wait_for_selector(".stepper")
    case = Case.objects.get()
    assert "陈小雨" in page.content()

    # 精准识别: record what was checked, then verify.
    page.click("a:has-text('编辑')")
    page.check("input[name=identity_verified]")
    page.check("input[name=documents_verified]")
    page.check("input[name=at_inclusive_kindergarten]")
    page.check("input[name=kindergarten_approved]")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".stepper")
    click_action(page, "核实（精准识别）")
    page.wait_for_selector("text=核实（精准识别）：已完成")

    page.click("a:has-text('新评估')")
    for domain in ("basic_living", "medical", "education", "mental_health", "safety", "guardianship"):
        page.select_option(f"select[name={domain}_severity]", "high" if domain == "safety" else "medium")
        page.fill(f"textarea[name={domain}_needs]", "需重点关注")
    screenshot(page, "child-welfare-assessment")
    page.click("button:has-text('保存评估')")
    page.wait_for_selector(".stepper")
    click_action(page, "完成评估")

    page.click("#assessment a:has-text('添加计划事项')")
    page.select_option("select[name=domain]", "safety")
    page.fill("input[name=goal]", "脱离受侵害环境")
    page.fill("input[name=service]", "联合公安、妇联开展家庭干预")
    page.select_option("select[name=responsible_type]", "department")
    page.fill("input[name=responsible_name]", "南关区民政局")
    page.fill("input[name=due_date]", "2026-12-31")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".stepper")
    click_action(page, "确定服务计划")
    click_action(page, "开始服务")

    page.click("a:has-text('记录探访')")
    page.fill("input[name=visitors]", "王经办、儿童主任刘红梅")
    page.fill("textarea[name=findings]", "见到儿童本人，淤青已消退，情绪稳定")
    page.fill("textarea[name=services_delivered]", "送去冬衣，讲解安全自护知识")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=见到儿童本人")
    screenshot(page, "child-welfare-case")

    click_action(page, "发起复核")
    page.click("#actions button:has-text('结案')")
    page.select_option("#form-close select[name=closure_reason]", "resolved")
    page.fill("#form-close input[name=reason]", "家庭干预后监护恢复正常，困境已消除")
    page.click("#form-close button[type=submit]")
    page.wait_for_selector("#portal-confirm.show")  # closing asks first
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=结案：已完成")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closure_reason == "resolved"
    assert list(case.transitions.values_list("action", flat=True)) == [
        "report", "verify", "assess", "plan", "start_service", "review", "close"]
    assert page.locator(".stepper li.current").inner_text() == "已结案"
    assert page.locator(".stepper li.done").count() == 7
    screenshot(page, "child-welfare-closed")

    page.goto(f"{page.base_url}/child-welfare/statistics/")
    page.wait_for_selector("#chart-category")
    screenshot(page, "child-welfare-statistics")


def test_sensitive_notes_ask_for_a_purpose(page, screenshot, caseworker):
    from apps.child_welfare import services
    from tests.child_welfare.conftest import report

    case = report(caseworker, risk="high")
    services.sensitive_note_add(user=caseworker, case_id=case.pk, text="继父曾多次殴打")
    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/child-welfare/cases/{case.pk}/")
    page.click("text=查看敏感信息")
    assert "继父" not in page.content()
    page.fill("input[name=purpose]", "制定安全保护计划")
    page.click("button:has-text('查看敏感信息')")
    page.wait_for_selector("text=继父曾多次殴打")
    screenshot(page, "child-welfare-sensitive")
