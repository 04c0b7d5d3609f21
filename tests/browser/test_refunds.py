"""Main flow of 稳岗返还: start a run, watch progress reach 100%, read the summary and chart, approve as
another user, download the disbursement list, open a notice (告知书)."""

import csv
import io

import pytest

from apps.refunds.models import RefundRun
from tests.browser.conftest import login
from tests.refund_review import publicize
from tests.refunds.conftest import CASES, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_follow_approve_export_and_notice(page, browser, live_server, screenshot, caseworker, supervisor):
    for case in CASES:
        build_case(case)

    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.click("nav >> text=稳岗返还")
    page.wait_for_selector("#start-run")
    page.fill("input[name=year]", "2025")
    page.select_option("select[name=region]", "220102")
    screenshot(page, "refunds-start")
    page.click("#start-run button[type=submit]")

    page.wait_for_selector("#progress-bar")
    page.wait_for_function("document.getElementById('progress').getAttribute('aria-valuenow') === '100'")
    page.wait_for_selector("#summary")
    page.wait_for_function("document.querySelector('#chart-size') && document.querySelector('#chart-size').width > 0")
    assert page.locator("#progress-bar").inner_text().strip() == "100%"
    assert "待初审" in page.locator("#run-status").inner_text()
    run = RefundRun.objects.get()
    assert page.locator("#total-amount").inner_text().replace(",", "") == f"{run.total_amount:.2f}"
    screenshot(page, "refunds-run-computed")

    page.select_option("select[name=reason]", "layoff_rate_exceeded")
    page.click("#result-filters button[type=submit]")
    page.wait_for_selector("#results")
    assert page.locator("#results tbody tr").count() == 5
    page.click("#results >> text=thirty_one_insured有限公司")
    page.wait_for_selector("#steps")
    assert "裁员率上限为上年度全国城镇调查失业率控制目标" in page.content()
    screenshot(page, "refunds-explanation")

    # 初审 and 公示 by another reviewer, the window passed (tests/browser/test_publicity.py clicks those
    # through); the city supervisor makes the 复核.
    publicize(run)
    reviewer_context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    reviewer = reviewer_context.new_page()
    reviewer.set_default_timeout(15_000)
    reviewer.base_url = live_server.url
    login(reviewer, "sup_changchun")
    reviewer.wait_for_selector("text=工作台")
    reviewer.goto(f"{live_server.url}/refunds/{run.pk}/")
    reviewer.fill("#review textarea[name=comment]", "数据核对无误，同意发放")
    reviewer.click("#approve")  # irreversible: the dialog says what will happen; 取消 leaves the run as it was
    reviewer.wait_for_selector("#portal-confirm.show")
    assert "结果将冻结" in reviewer.locator("#portal-confirm-text").inner_text()
    screenshot(reviewer, "refunds-approve-confirm")
    reviewer.click("#portal-confirm-cancel")
    reviewer.wait_for_selector("#portal-confirm", state="hidden")
    assert RefundRun.objects.get().status == RefundRun.Status.PUBLICIZING
    reviewer.click("#approve")
    reviewer.wait_for_selector("#portal-confirm.show")
    reviewer.click("#portal-confirm-ok")
    reviewer.wait_for_selector("text=批次已复核通过")
    assert "已审核通过" in reviewer.locator("#run-status").inner_text()
    screenshot(reviewer, "refunds-approved")

    with reviewer.expect_download() as download_info:
        reviewer.click("#download-csv")
    download = download_info.value
    text = open(download.path(), encoding="utf-8").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(CASES) and rows[0].keys() >= {"uscc", "amount", "decision"}
    assert RefundRun.objects.get().status == RefundRun.Status.EXPORTED

    reviewer.goto(f"{live_server.url}/refunds/{run.pk}/?decision=eligible&size_class=large")
    reviewer.click("#results >> text=告知书 >> nth=0")
    reviewer.wait_for_selector("#notice")
    notice = reviewer.locator("#notice").inner_text()
    assert "返还金额为人民币" in notice and "职工生活补助" in notice
    screenshot(reviewer, "refunds-notice")
    reviewer_context.close()  # no keep-alive request left for the live server after the test
