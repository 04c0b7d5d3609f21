"""离线入户探访 in the browser: a 儿童主任 opens the page online, loses the network, records a visit, sees it queued,
gets the network back and sees it synced and on the case; and the conflict path (docs/offline-visits.md)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.child_welfare import services
from apps.child_welfare.models import Visit
from tests.browser.conftest import assert_fits, login
from tests.child_welfare.conftest import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFLINE = reverse("child_welfare:offline")


def open_offline_page(page, username="cw_nanguan"):
    login(page, username)
    page.goto(page.base_url + OFFLINE)
    page.wait_for_selector("#offline-app[data-offline-ready='1']")
    page.wait_for_selector("#offline-case option:nth-child(2)", state="attached")


def record_visit(page, case, findings: str):
    page.select_option("#offline-case", str(case.pk))
    page.fill("input[name=visitors]", "儿童主任刘红梅")
    page.fill("textarea[name=findings]", findings)
    page.fill("textarea[name=services_delivered]", "送去冬衣")
    page.click("#offline-save")


def test_visit_recorded_offline_is_queued_then_synced(open_page, screenshot, caseworker):
    case = report(caseworker, name="陈小雨")
    page = open_page(390, 844)
    open_offline_page(page)
    assert "陈小雨" in page.inner_text("#offline-case")

    page.context.set_offline(True)
    page.reload()  # the page, its styles and scripts and the case list now come from the phone
    page.wait_for_selector("#offline-net:has-text('离线')")
    page.wait_for_selector("#offline-case option:nth-child(2)", state="attached")
    assert page.evaluate("getComputedStyle(document.querySelector('.portal-sidebar')).backgroundColor") != \
        "rgba(0, 0, 0, 0)"  # portal.css came from the cache
    record_visit(page, case, "见到儿童本人，情绪稳定，冬衣不足")
    page.wait_for_selector("#offline-count-pending:has-text('待同步 1 条')")
    item = page.locator(".offline-item[data-status='pending']")
    assert "无网络，联网后自动同步" in item.inner_text()
    assert not Visit.objects.filter(case=case).exists()
    assert_fits(page)
    screenshot(page, "offline-visit-queued-390")

    page.context.set_offline(False)  # the browser's online event starts the sync
    page.wait_for_selector("#offline-count-synced:has-text('已同步 1 条')")
    assert page.inner_text("#offline-count-pending") == "待同步 0 条"
    page.wait_for_selector("#offline-ready:has-text('已可离线使用')")  # the copies refreshed, or kept
    visit = Visit.objects.get(case=case)
    assert visit.findings == "见到儿童本人，情绪稳定，冬衣不足" and visit.recorded_by == caseworker
    assert "冬衣不足" not in page.evaluate("localStorage.getItem('cw-offline-visits')")  # dropped once on the server
    # Moments as the lists print them (2026-03-01 09:05), not the browser's own locale format.
    assert re.search(r"已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 同步到服务器", page.inner_text(".offline-item[data-status='synced']"))
    assert re.search(r"更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$", page.inner_text("#offline-cases-at"))
    screenshot(page, "offline-visit-synced-390")

    page.click(".offline-item a:has-text('查看个案')")
    page.wait_for_selector("#visits")
    assert "冬衣不足" in page.inner_text("#visits")


def test_a_conflict_shows_both_sides_and_can_be_submitted_anyway_or_discarded(open_page, screenshot, caseworker,
                                                                             supervisor):
    first = report(caseworker, name="陈小雨")
    second = report(caseworker, name="林小军")
    page = open_page(1366, 860)
    open_offline_page(page)
    page.context.set_offline(True)
    record_visit(page, first, "离线记录：家中无人照看")
    page.wait_for_selector("#offline-count-pending:has-text('待同步 1 条')")
    record_visit(page, second, "离线记录：孩子在校")
    page.wait_for_selector("#offline-count-pending:has-text('待同步 2 条')")
    # Meanwhile, at the office: the supervisor records a visit to the first child, the second case is closed.
    services.visit_record(user=supervisor, case_id=first.pk, visited_on=date.today() - timedelta(days=1),
                          visitors="王经办", findings="办公室同事入户", child_seen=True)
    services.case_transition(user=caseworker, case_id=second.pk, action="close", closure_reason="resolved",
                             reason="困境消除")

    page.context.set_offline(False)
    page.wait_for_selector("#offline-count-conflict:has-text('冲突 2 条')")
    assert Visit.objects.filter(case=first).count() == 1 and not Visit.objects.filter(case=second).exists()
    conflict = page.locator(f".offline-item[data-case='{first.pk}']")
    text = conflict.inner_text()
    assert "期间已有新的探访记录" in text and "本机记录" in text and "服务器上的个案" in text
    assert "离线记录：家中无人照看" in text and f"{supervisor} 已记录探访" in text
    screenshot(page, "offline-visit-conflict-1366")

    conflict.locator("button:has-text('仍然提交')").click()
    conflict.locator("button:has-text('确认提交')").click()
    assert "请填写说明" in conflict.inner_text()  # the note is required before anything is sent
    conflict.locator("textarea").fill("与王经办分别入户，情况不同")
    conflict.locator("button:has-text('确认提交')").click()
    page.wait_for_selector("#offline-count-synced:has-text('已同步 1 条')")
    mine = Visit.objects.filter(case=first).order_by("-id").first()
    assert "离线记录：家中无人照看" in mine.findings and "与王经办分别入户" in mine.findings

    closed = page.locator(f".offline-item[data-case='{second.pk}']")
    assert "个案已结案" in closed.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    closed.locator("button:has-text('放弃')").click()
    page.wait_for_selector("#offline-count-conflict:has-text('冲突 0 条')")
    assert not Visit.objects.filter(case=second).exists()


def test_field_errors_from_the_server_are_shown_on_the_item_and_it_can_be_corrected(open_page, caseworker):
    case = report(caseworker, name="陈小雨")
    page = open_page(390, 844)
    open_offline_page(page)
    page.context.set_offline(True)
    page.select_option("#offline-case", str(case.pk))
    page.fill("input[name=visited_on]", (date.today() + timedelta(days=3)).isoformat())  # the phone's clock was wrong
    page.fill("textarea[name=findings]", "见到儿童本人")
    page.click("#offline-save")
    page.wait_for_selector("#offline-count-pending:has-text('待同步 1 条')")
    page.context.set_offline(False)
    page.wait_for_selector("#offline-count-error:has-text('需修改 1 条')")
    item = page.locator(".offline-item[data-status='error']")
    assert "探访日期：日期有误" in item.inner_text()
    assert_fits(page)
    item.locator("button:has-text('修改')").click()
    page.fill("input[name=visited_on]", date.today().isoformat())
    page.click("#offline-save")
    page.wait_for_selector("#offline-count-synced:has-text('已同步 1 条')")
    assert Visit.objects.filter(case=case).count() == 1


def test_signing_out_deletes_what_the_page_kept(open_page, caseworker):
    report(caseworker, name="陈小雨")
    page = open_page(1366, 860)
    open_offline_page(page)
    assert page.evaluate("caches.keys()") == ["cw-offline-v1"]
    page.click("form[data-logout] button")
    page.wait_for_url("**/login/**")
    page.wait_for_function("caches.keys().then(k => k.length === 0)")
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
