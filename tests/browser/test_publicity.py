"""初审 → 公示 → (the window passed: dates set in the database) → 复核, by two different reviewers in the browser,
and the public list (公示名单) read without signing in at 1366 px and at 390×844."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.publicity.models import Publication
from apps.refunds.models import RefundRun
from apps.refunds.services import run_start
from tests.browser.conftest import assert_fits, login
from tests.factories import UserFactory
from tests.refund_review import move_window
from tests.refunds.conftest import CASES, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm(page, selector: str) -> str:
    page.click(selector)
    page.wait_for_selector("#portal-confirm.show")
    text = page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    return text


def final_review(open_page, live_server, run, username: str, comment: str):
    """The window has passed (time, set in the database); the 复核 in the browser by `username`. The page."""
    today = timezone.localdate()
    move_window(run, starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1))
    reviewer = open_page()
    login(reviewer, username)
    reviewer.goto(f"{live_server.url}/refunds/{run.pk}/")
    assert "公示期已满" in reviewer.locator("#publicity-elapsed").inner_text()
    reviewer.fill("#review textarea[name=comment]", comment)
    assert "冻结" in confirm(reviewer, "#approve")
    reviewer.wait_for_selector("text=批次已复核通过")
    assert "已审核通过" in reviewer.locator("#run-status").inner_text()
    return reviewer



def test_first_review_publish_and_second_review(open_page, live_server, screenshot, caseworker, supervisor):
    for case in CASES:
        build_case(case)
    second = UserFactory(username="sup_nanguan_b", role=User.Role.SUPERVISOR, region_id="220102")
    run = run_start(user=caseworker, year=2025, region_code="220102")  # computed as the start commits (eager)
    run.refresh_from_db()
    assert run.status == RefundRun.Status.COMPUTED

    first = open_page()
    login(first, supervisor.username)
    first.goto(f"{live_server.url}/refunds/{run.pk}/")
    assert "待初审" in first.locator("#run-status").inner_text()
    assert first.locator("#approve").count() == 0
    first.fill("#review textarea[name=comment]", "数据核对无误")
    assert "初审通过后" in confirm(first, "#firstreview")
    first.wait_for_selector("text=初审通过，可发布公示")
    assert "公开页面公示" in confirm(first, "#publish")
    first.wait_for_selector("text=已发布公示")
    assert "公示中" in first.locator("#run-status").inner_text()
    window = first.locator("#publicity-window").inner_text()
    assert "公示期" in window and "5 个工作日" in window
    assert first.locator("#approve").count() == 0  # the first reviewer is never offered the 复核
    screenshot(first, "publicity-run-publicizing")
    public_url = first.locator("#public-link").get_attribute("href")

    reviewer = final_review(open_page, live_server, run, second.username, "公示期满无异议，同意发放")
    moves = reviewer.locator("#review-transitions").inner_text()
    assert "待初审 → 初审通过，待公示" in moves and "公示中 → 已审核通过" in moves
    screenshot(reviewer, "publicity-run-approved")
    stored = RefundRun.objects.get(pk=run.pk)
    assert (stored.first_reviewed_by_id, stored.decided_by_id) == (supervisor.pk, second.pk)

    token = Publication.objects.get(record_id=run.pk).token
    assert public_url.endswith(f"/public/publicity/{token}/")
    for width, height, name in ((1366, 860, "publicity-public-1366"), (390, 844, "publicity-public-390")):
        public = open_page(width, height)  # a new context: nobody signed in
        response = public.goto(public_url)
        assert response.status == 200 and response.headers["x-robots-tag"] == "noindex, nofollow"
        public.wait_for_selector("#public-rows")
        text = public.locator("body").inner_text()
        assert "公示期" in text and "如何提出异议" in text and "拟返还单位名单" in text
        assert "银行" not in text and "退出" not in text
        assert_fits(public)
        screenshot(public, name)


def test_the_public_list_on_a_phone(open_page, live_server, screenshot, caseworker, supervisor):
    from apps.refunds.services import run_first_review, run_publish
    from tests.publicity.conftest import add_employers, computed_run

    run = computed_run(caseworker)
    add_employers(run, 12)
    from apps.employers.models import Employer

    Employer.objects.filter(pk=run.results.order_by("employer_id").first().employer_id).update(
        name="unknown_employees_december_headcount_without_a_break有限公司")  # one long word must wrap
    run_first_review(run_id=run.pk, user=supervisor)
    run_publish(run_id=run.pk, user=supervisor)
    token = Publication.objects.get(record_id=run.pk).token
    public = open_page(390, 844)
    assert public.goto(f"{live_server.url}/public/publicity/{token}/").status == 200
    public.wait_for_selector("#public-rows")
    screenshot(public, "publicity-public-phone")
    assert_fits(public)
    rows = public.locator("#public-rows").inner_text()
    assert rows.count("公示测试") == 11 and "without_a_break" in rows
