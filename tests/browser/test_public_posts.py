"""公益性岗位 through the browser: the caseworker registers a post, places two 就业困难 people (a third without the
tag is refused with the reason on the form), starts the month's subsidy run and watches its progress — the shared
poller (static/portal/progress.js) follows the worker chunk by chunk and reloads when it is done —, sees the prorated
lines; the maker's 审核通过 is drawn disabled (four eyes) and a supervisor approves. Pages at 1366 px and 390 px.

The Celery queue is the one thing replaced: the run is enqueued to nowhere and the test plays the worker, one
placement per chunk (`chunk_compute`, the task's own body), so the bar can be seen between chunks on SQLite too."""

from datetime import date
from decimal import Decimal

import pytest

from apps.applicants.models import StatusTag
from apps.public_posts import services
from apps.public_posts.models import Placement, PublicPost, SubsidyRun
from tests.browser.conftest import assert_fits, login
from tests.factories import PersonFactory, StatusTagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def at_phone(open_page, screenshot, url: str, name: str):
    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(url)
    assert_fits(phone, name)
    screenshot(phone, f"{name}-390")
    phone.context.close()


def difficult(name: str):
    person = PersonFactory(name=name, region_id="220102")
    StatusTagFactory(person=person, tag=StatusTag.Tag.EMPLOYMENT_DIFFICULTY, since=date(2025, 6, 1))
    return person


def place(page, person, start: str, end: str):
    page.fill("#id_id_number", person.id_number)
    page.fill("#id_start_date", start)
    page.fill("#id_agreed_end_date", end)
    page.click("#placement-save")


def test_post_place_run_with_progress_and_approve(page, open_page, screenshot, caseworker, supervisor, monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda run_id: None)  # the queue holds it: the test is the worker
    monkeypatch.setattr(services, "CHUNK_SIZE", 1)
    full, half = difficult("浏览器全月"), difficult("浏览器半月")
    untagged = PersonFactory(name="浏览器无标签", region_id="220102")

    login(page, "cw_nanguan")
    page.click("nav >> text=公益性岗位")
    page.goto(f"{page.base_url}/public-posts/new/")
    page.fill("#id_name", "幸福街道保洁员")
    page.select_option("#id_post_type", "cleaning_greening")
    page.fill("#id_employer_name", "南关区幸福街道办事处")
    page.select_option("#id_region", "220102")
    page.fill("#id_places", "2")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2028-12-31")
    page.click("#post-save")
    page.wait_for_selector("#placement-form")
    assert PublicPost.objects.get().places == 2
    assert "保洁绿化" in page.inner_text("main")
    post_url = page.url

    place(page, untagged, "2026-03-01", "2027-02-28")
    page.wait_for_selector("#placement-form .alert-danger")
    assert "就业困难" in page.inner_text("#placement-form")  # the refusal's reason on the form
    assert page.input_value("#id_id_number") == untagged.id_number
    assert not Placement.objects.exists()

    place(page, full, "2026-03-01", "2027-02-28")
    page.wait_for_selector("#post-places:has-text('在岗 1 / 2')")
    place(page, half, "2026-03-16", "2027-03-15")
    page.wait_for_selector("#post-places:has-text('在岗 2 / 2')")
    assert page.locator("#placement-form").count() == 0  # full: no more placements offered
    assert full.id_number not in page.content() and full.masked_id_number in page.content()
    screenshot(page, "public-posts-post")
    at_phone(open_page, screenshot, post_url, "public-posts-post")

    page.goto(f"{page.base_url}/public-posts/runs/")
    page.select_option("#id_region", "220102")
    page.fill("#id_month", "2026-03")
    page.click("#run-start")
    page.wait_for_selector("#run-status:text-is('计算中')")
    run = SubsidyRun.objects.get()
    assert page.inner_text("#run-count") == "0 / 2（0%）"
    assert page.locator("script[src$='portal/progress.js']").count() == 1
    screenshot(page, "public-posts-run-computing")

    assert services.chunk_compute(run_id=run.pk) is True  # the worker's first chunk: one placement
    page.wait_for_selector("#run-progress[aria-valuenow='50']")
    assert page.inner_text("#run-count") == "1 / 2（50%）"
    assert page.inner_text("#run-bar") == "50%"

    services.run_compute(run_id=run.pk)  # the task's body: the rest, chunk after chunk, then the run is computed
    page.wait_for_selector("#run-status:text-is('待审核')")  # the poller reloaded the page
    # 1900.00 + 850.00 a full month; 16 / 31 days of it from 03-16: 1419.354… → 1419.35 (half-up, once)
    assert page.inner_text("#run-total") == "4,169.35 元"
    lines = {row.locator("td").nth(0).inner_text(): row.locator("td").all_inner_texts()[3:]
             for row in page.locator("table tbody tr").all()}
    assert lines == {"浏览器全月": ["31 / 31", "2,750.00"], "浏览器半月": ["16 / 31", "1,419.35"]}, lines
    assert page.locator("[data-refused-action=approve]").is_disabled()  # the maker may not review
    screenshot(page, "public-posts-run-computed")
    at_phone(open_page, screenshot, page.url, "public-posts-run")
    run_url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(run_url)
    page.fill("#note-approve", "核对无误")
    page.click("#run-approve")
    page.wait_for_selector("#portal-confirm.show")
    assert "本月补贴明细不再变更" in page.inner_text("#portal-confirm-text")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#run-status:text-is('已审核')")
    run.refresh_from_db()
    assert (run.status, run.reviewed_by_id, run.review_note, run.total_amount) == (
        SubsidyRun.Status.APPROVED, supervisor.pk, "核对无误", Decimal("4169.35"))
