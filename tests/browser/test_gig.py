"""零工市场 through the browser: post a job, see the ranked matches with their reasons, place a worker through a
broker, record the follow-up; the posting page at 390 px (no wider than the phone)."""

import pytest

from apps.gig.models import Placement
from tests.browser.conftest import login
from tests.factories import EmployerFactory
from tests.gig.conftest import START, make_broker, make_worker, villages  # noqa: F401, F811

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_post_a_job_see_the_matches_place_and_follow_up(page, open_page, screenshot, caseworker, villages):  # noqa: F811
    EmployerFactory(region_id="220102", name="南关区幸福物业有限公司")
    broker = make_broker(caseworker)
    near = make_worker(caseworker, region="220102001001", days=30)  # same 乡镇 as the posting
    far = make_worker(caseworker, region="220102", days=30)  # same 区县
    make_worker(caseworker, trades=("cleaner",), days=30)  # another trade: not listed

    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/gig/postings/new/")
    page.fill("input[name=title]", "幸福小区外墙修补")
    page.select_option("select[name=trade]", "bricklayer")
    page.select_option("select[name=employer]", label="南关区幸福物业有限公司")
    page.fill("input[name=pay]", "260")
    page.fill("input[name=headcount]", "1")
    page.fill("input[name=start_date]", START.isoformat())
    page.fill("input[name=end_date]", "2026-04-10")
    page.select_option("select[name=region]", "220102001")
    page.fill("input[name=address]", "幸福街 18 号")
    page.click("#save")
    page.wait_for_selector("text=零工岗位“幸福小区外墙修补”已发布")

    rows = page.locator("#match-table tr.match-row")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("data-availability") == str(near.pk)  # same 乡镇 first
    assert rows.nth(1).get_attribute("data-availability") == str(far.pk)
    assert "区划：同乡镇（街道）" in rows.nth(0).inner_text() and "工种一致：瓦工" in rows.nth(0).inner_text()

    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "gig-posting-390")

    first = rows.nth(0)
    first.locator("select[name=broker]").select_option(str(broker.pk))
    first.locator("button[type=submit]").click()
    page.wait_for_selector("text=已撮合上岗")
    assert page.locator("#places").inner_text().startswith("已上岗 1 / 招募 1")
    assert page.locator("#match-table").count() == 0  # full: no more matches offered

    form = page.locator("#placement-table form.follow-up-form").first
    form.locator("input[name=visited_on]").fill("2026-04-07")
    form.locator("select[name=outcome]").select_option("on_job")
    form.locator("input[name=pay_received]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=的回访")
    placement = Placement.objects.get()
    assert (placement.broker_id, placement.outcome, placement.pay_received) == (broker.pk, "on_job", True)
    assert "在岗" in page.locator("#placement-table").inner_text()

    page.goto(f"{page.base_url}/gig/brokers/{broker.pk}/")
    assert page.locator("#placed").inner_text() == "1"


def test_stop_a_registration_on_its_page(page, open_page, screenshot, caseworker):
    worker = make_worker(caseworker, days=30)
    login(page, "cw_nanguan")
    url = f"{page.base_url}/gig/workers/{worker.pk}/"
    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(url)
    assert phone.locator("#close-availability").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "gig-worker-390")
    page.goto(url)
    page.fill("input[name=note]", "已在外地长期务工")
    page.click("#close-availability")
    page.wait_for_selector("#portal-confirm.show")  # the page says what stopping does before it is done
    assert "不再参与岗位匹配" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=的求职登记已停止")
    assert "已在外地长期务工" in page.locator("#closed").inner_text()
    assert page.locator("#close-availability").count() == 0
    screenshot(page, "gig-worker-closed")
    worker.refresh_from_db()
    assert (worker.status, worker.close_reason) == ("closed", "已在外地长期务工")
