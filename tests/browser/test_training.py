"""A trainee from registration to paid subsidy, through the caseworker UI, the 初审 and 公示 by a supervisor (the public
list without a login: the name masked, no ID number, no phone) and the 复核 by a third person after the window; the
enrollment page at 390 px."""

import os
import shutil
from datetime import timedelta

import pytest

from apps.accounts.models import User
from apps.core.demo import make_id_number
from apps.publicity.models import Publication
from apps.training.models import Enrollment, TrainingSubsidyClaim
from tests.browser.conftest import login
from tests.factories import UserFactory
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


def test_trainee_from_registration_to_paid_subsidy(page, open_page, screenshot, caseworker, supervisor, occupations):
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

    # 初审 by a supervisor who did not claim it: the claim goes on the public list for its working-day window.
    page.click("text=退出")
    login(page, "sup_changchun")
    page.goto(url)
    page.click("button[data-action=publish]")
    page.wait_for_selector("#portal-confirm.show")
    assert "公开页面公示" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=已初审通过并公示")
    claim = TrainingSubsidyClaim.objects.get(person__id_number=id_number)
    assert claim.status == TrainingSubsidyClaim.Status.PUBLICIZING and claim.reviewed_by == supervisor
    assert page.locator("[data-action=approve]").count() == 0  # the first reviewer is offered no 复核
    screenshot(page, "training-enrollment-publicizing")
    public_url = page.locator(f"#public-link-{claim.pk}").get_attribute("href")

    # The public list, without a login: the name masked; no ID number, no phone.
    page.click("text=退出")
    page.goto(public_url if public_url.startswith("http") else f"{page.base_url}{public_url}")
    page.wait_for_selector("text=刘**")
    content = page.content()
    assert "刘桂芳" not in content and id_number not in content and "13912345678" not in content
    assert "1,200.00" in content and "职业培训补贴拟补贴人员公示" in content
    screenshot(page, "training-claim-public-list")

    # The window passes (moved back here rather than waited for); 复核 by a third person.
    ended = claim.publicity_ends_on - timedelta(days=30)
    TrainingSubsidyClaim.objects.filter(pk=claim.pk).update(publicity_starts_on=ended - timedelta(days=6),
                                                            publicity_ends_on=ended)
    Publication.objects.filter(source="training.claim", record_id=claim.pk).update(
        starts_on=ended - timedelta(days=6), ends_on=ended)
    UserFactory(username="sup_changchun_2", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)
    login(page, "sup_changchun_2")
    page.goto(url)
    _click_action(page, "approve", confirm=True)  # irreversible: the dialog says so first
    page.wait_for_selector("text=已复核通过")
    _click_action(page, "pay", confirm=True)
    page.wait_for_selector("text=已确认发放")
    assert Enrollment.objects.get(person__id_number=id_number).status == "paid"
    assert page.locator(".stepper li.done").count() == 10
    screenshot(page, "training-enrollment-paid")

    # The enrollment page on a phone: the claim, its 公示 card and the buttons fit 390 px.
    phone = open_page(390, 844)
    login(phone, "sup_changchun_2")
    phone.goto(url)
    phone.wait_for_selector(f"#publicity-{claim.pk}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot = screenshot(phone, "training-enrollment-390")
    if os.environ.get("SHOTS_DIR"):
        os.makedirs(os.environ["SHOTS_DIR"], exist_ok=True)
        shutil.copy(shot, os.environ["SHOTS_DIR"])

    page.goto(f"{page.base_url}/training/indicators/")
    page.wait_for_selector("#indicator-table")
    assert "100.00%" in page.locator("#indicator-table").inner_text()
    screenshot(page, "training-indicators")
    page.goto(f"{page.base_url}/training/")
    page.wait_for_selector("#chart-funnel")
    screenshot(page, "training-dashboard")
