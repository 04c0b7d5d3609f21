"""A trainee from registration to paid subsidy, through the caseworker UI and the supervisor's approval."""

import pytest

from apps.core.demo import make_id_number
from apps.training.models import Enrollment
from tests.browser.conftest import login
from tests.training.conftest import make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def occupations(transactional_db):
    from apps.training.catalogue import load_occupations
    from apps.training.models import Occupation

    load_occupations(Occupation)  # a transactional test starts from flushed tables
    return {o.code: o for o in Occupation.objects.all()}


def _click_action(page, name: str, confirm: bool = False):
    page.click(f"button[data-action={name}]")
    if confirm:
        page.wait_for_selector("#portal-confirm.show")
        page.click("#portal-confirm-ok")
    page.wait_for_load_state()


def test_trainee_from_registration_to_paid_subsidy(page, screenshot, caseworker, supervisor, occupations):
    from datetime import date

    program = make_program(occupations, code="JZ-2026-01", name="家政服务员（母婴护理）初级班")
    id_number = make_id_number("220102", date(1990, 3, 8), 11, True)

    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/training/enrollments/new/?program={program.pk}")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=name]", "刘桂芳")
    page.fill("input[name=phone]", "13912345678")
    page.select_option("select[name=target_group]", "women_returning")
    page.click("button[type=submit]:has-text('报名')")
    page.wait_for_selector("text=刘桂芳 已报名")

    for action in ("enroll", "start", "complete"):
        _click_action(page, action)
    # refused too early: the subsidy rule explains itself
    _click_action(page, "claim_subsidy")
    page.wait_for_selector(".alert-danger:has-text('劳动合同')")

    page.select_option("#id_cert-kind", "skill_level")
    page.select_option("#id_cert-level", "junior")
    page.fill("#id_cert-number", "2201260000123")
    page.fill("#id_cert-issued_on", "2026-05-10")
    page.fill("#id_cert-issuer", "吉林省职业技能鉴定中心")
    page.click("#form-assess button[type=submit]")
    page.wait_for_selector("text=已登记取证")

    page.select_option("#id_emp-employment_evidence", "labour_contract")
    page.fill("#id_emp-employer_name", "长春市家政服务有限公司")
    page.fill("#id_emp-employment_start", "2026-05-15")
    page.fill("#id_emp-monthly_wage", "4200")
    page.click("#form-employment button[type=submit]")
    page.wait_for_selector("text=已核验就业")

    _click_action(page, "claim_subsidy")
    page.wait_for_selector("text=已申领培训补贴")
    screenshot(page, "training-enrollment-claimed")
    url = page.url

    page.click("text=退出")
    login(page, "sup_changchun")
    page.goto(url)
    _click_action(page, "approve", confirm=True)  # irreversible: the dialog says so first
    _click_action(page, "pay", confirm=True)
    page.wait_for_selector("text=已确认发放")
    assert Enrollment.objects.get(person__id_number=id_number).status == "paid"
    assert page.locator(".stepper li.done").count() == 9
    screenshot(page, "training-enrollment-paid")

    page.goto(f"{page.base_url}/training/indicators/")
    page.wait_for_selector("#indicator-table")
    assert "100.00%" in page.locator("#indicator-table").inner_text()
    screenshot(page, "training-indicators")
    page.goto(f"{page.base_url}/training/")
    page.wait_for_selector("#chart-funnel")
    screenshot(page, "training-dashboard")
