"""The births programmes (R3, issue 16) in a real browser: a person's benefits panel shows the 三孩 birth reward
with its explanation, the daily job's 主动发现 lead for it is on the leads page; both at 1366 and 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.applicants.services import household_add_member
from apps.eligibility.services import benefit_match_run
from tests.browser.conftest import assert_fits, login
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_third_child_shows_the_birth_reward_and_its_lead(page, open_page, screenshot, caseworker):
    today = timezone.localdate()
    head = PersonFactory(region_id="220102", name="刘建国", birth=today.replace(year=today.year - 35))
    first = PersonFactory(region_id="220102", name="刘一诺", birth=today - timedelta(days=2000))
    twins = [PersonFactory(region_id="220102", name=name, birth=today - timedelta(days=40)) for name in ("刘二宝", "刘三宝")]
    for child in (first, *twins):
        household_add_member(person=head, member=child, relation="child")
    third = twins[1]

    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/applicants/{third.pk}/")
    card = page.wait_for_selector("#benefits-panel .result-card[data-calculator=birth-reward]")
    text = card.inner_text()
    assert "二孩、三孩生育奖励" in text and "可享受" in text and "5,000.00" in text and "第3孩" in text
    card.query_selector("button:has-text('计算步骤')").click()
    page.wait_for_selector("#benefits-panel .result-card[data-calculator=birth-reward] .accordion-collapse.show")
    assert "为家庭登记中的第3个子女" in card.inner_text()
    # Programmes the person doesn't qualify for are folded into one closed 不符合 list, opened on a click.
    border = page.query_selector("#benefits-declined .result-card[data-calculator=border-village-birth-reward]")
    assert border is not None and not border.is_visible()
    page.click("#benefits-declined summary")
    page.wait_for_selector("#benefits-declined .result-card[data-calculator=border-village-birth-reward]", state="visible")
    assert "不在边境村名单内" in border.inner_text()
    screenshot(page, "births-benefits-panel")

    benefit_match_run(as_of=today)  # the daily 主动发现 job
    page.goto(f"{page.base_url}/eligibility/matches/")
    page.wait_for_selector("text=主动发现")
    body = page.inner_text("main")
    assert "二孩、三孩生育奖励" in body and "刘三宝" in body and "5,000.00" in body and "刘二宝" in body
    screenshot(page, "births-matches")

    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(f"{phone.base_url}/applicants/{third.pk}/")
    phone.wait_for_selector("#benefits-panel .result-card[data-calculator=birth-reward]")
    assert_fits(phone, "births panel at 390 px")
    screenshot(phone, "births-benefits-panel-390")
    phone.goto(f"{phone.base_url}/eligibility/matches/")
    phone.wait_for_selector("text=二孩、三孩生育奖励")
    assert_fits(phone, "matches at 390 px")
    screenshot(phone, "births-matches-390")
