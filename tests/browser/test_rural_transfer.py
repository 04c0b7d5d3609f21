"""农村劳动力转移就业 through the browser (RULES.md R9, docs/integrations.md): a caseworker records a 培训意愿登记 and
a 企业缺工登记 on the 缺工与培训意愿 page; the 对外推送 page shows each push 已发送 (the file backend); with the
webhook backend pointed at a closed local port the next pushes show 失败 (retried later) and 放弃 (the last attempt),
and a supervisor presses 重新发送 — once while the platform is still unreachable (放弃 again, the error shown), once
after it is back (已发送). Both pages at 1366 and 390 px (no wider than the phone)."""

import json
import socket
from datetime import date
from pathlib import Path

import pytest

from apps.core.demo import make_id_number
from apps.integrations.models import OutboundMessage
from apps.training.models import Occupation, ShortageReport, TrainingWillingness
from tests.browser.conftest import assert_fits, login
from tests.factories import EmployerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = OutboundMessage.Status


@pytest.fixture
def occupations(transactional_db):
    from apps.training.catalogue import load_occupations

    load_occupations(Occupation)  # a transactional test starts from flushed tables
    return {o.code: o for o in Occupation.objects.all()}


@pytest.fixture
def outbound_dir(settings, tmp_path):
    settings.INTEGRATION_BACKEND = "file"
    settings.INTEGRATION_FILE_DIR = str(tmp_path / "outbound")
    return tmp_path / "outbound"


def closed_port() -> int:
    """A local port nothing listens on: bound, then closed (a connection to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def platform_down(settings) -> None:
    settings.INTEGRATION_BACKEND = "webhook"
    settings.INTEGRATION_WEBHOOK_URL = f"http://127.0.0.1:{closed_port()}/push"
    settings.INTEGRATION_WEBHOOK_SECRET = "test-shared-secret"
    settings.INTEGRATION_WEBHOOK_TIMEOUT_SECONDS = 2


def record_shortage(page, employer, occupation, count: int) -> None:
    page.goto(f"{page.base_url}/training/demand/")
    page.select_option("select[name=s-employer]", str(employer.pk))
    page.select_option("select[name=s-occupation]", str(occupation.pk))
    page.fill("input[name=s-count]", str(count))
    page.fill("input[name=s-wage_min]", "4000")
    page.fill("input[name=s-wage_max]", "6500")
    page.fill("input[name=s-reported_on]", "2026-12-01")
    page.click("form:has(input[name=kind][value=shortage]) button[type=submit]")
    page.wait_for_selector("text=缺工信息已登记")


def record_willingness(page, id_number: str, name: str, occupation) -> None:
    page.goto(f"{page.base_url}/training/demand/")
    page.fill("input[name=w-id_number]", id_number)
    page.fill("input[name=w-name]", name)
    page.select_option("select[name=w-occupation]", str(occupation.pk))
    page.select_option("select[name=w-target_group]", "migrant_worker")
    page.click("form:has(input[name=kind][value=willingness]) button[type=submit]")
    page.wait_for_selector("text=培训意愿已登记")


def assert_filters_inside_their_card(page) -> None:
    """The filter form's selects and inputs stay inside its card (an unstyled select or input kept its own
    width and ran past the card's edge at 390 px)."""
    card = page.locator("main form.card").first.bounding_box()
    for control in page.locator("main form.card select, main form.card input:not([type=hidden])").all():
        box = control.bounding_box()
        assert box["x"] >= card["x"] and box["x"] + box["width"] <= card["x"] + card["width"], \
            control.get_attribute("name")


def row_of(page, source_id: int, kind_label: str):
    """The deliveries table's row of one record's push (its kind label and #source id)."""
    return page.locator("table tbody tr", has_text=f"#{source_id}").filter(has_text=kind_label)


def test_registrations_pushed_failed_and_sent_again(page, open_page, screenshot, settings, outbound_dir, caseworker,
                                                    supervisor, occupations):
    employer = EmployerFactory(region_id="220102", name="长春市南关区顺达物流有限公司")
    courier, housekeeper = occupations["LOG-01"], occupations["DOM-01"]
    id_number = make_id_number("220102", date(1988, 6, 2), 21, True)

    login(page, "cw_nanguan")
    record_shortage(page, employer, courier, 20)
    record_willingness(page, id_number, "王秀兰", housekeeper)
    assert "长春市南关区顺达物流有限公司" in page.locator(".card", has_text="企业缺工登记").first.inner_text()
    assert "王秀兰" in page.locator(".card", has_text="培训意愿登记").last.inner_text()
    screenshot(page, "rural-transfer-demand-1366")
    shortage, willingness = ShortageReport.objects.get(), TrainingWillingness.objects.get()

    page.goto(f"{page.base_url}/integrations/deliveries/")
    for source_id, label in ((shortage.pk, "企业缺工登记"), (willingness.pk, "培训意愿登记")):
        row = row_of(page, source_id, label)
        assert row.count() == 1, label
        assert row.locator(".badge").inner_text() == "已发送"
    assert id_number not in page.content()  # the page never shows the ID number in full
    # The file backend wrote each body once, the ID number in full (the platform matches people on it).
    bodies = [json.loads(path.read_text()) for path in Path(outbound_dir, "job_matching").glob("*.json")]
    assert sorted(body["kind"] for body in bodies) == ["training.shortage", "training.willingness"]
    assert next(b for b in bodies if b["kind"] == "training.willingness")["payload"]["id_number"] == id_number
    screenshot(page, "rural-transfer-deliveries-1366")

    # The platform is unreachable: a refused connection is retried later (失败) …
    platform_down(settings)
    second = make_id_number("220102", date(1992, 1, 15), 33, False)
    record_willingness(page, second, "李建国", courier)
    retried = TrainingWillingness.objects.get(person__name="李建国")
    # … and given up on at the last attempt (放弃).
    settings.INTEGRATION_MAX_ATTEMPTS = 1
    record_shortage(page, employer, housekeeper, 5)
    given_up = ShortageReport.objects.exclude(pk=shortage.pk).get()

    page.goto(f"{page.base_url}/integrations/deliveries/")
    failed_row, dead_row = row_of(page, retried.pk, "培训意愿登记"), row_of(page, given_up.pk, "企业缺工登记")
    assert failed_row.locator(".badge").inner_text() == "失败"
    assert dead_row.locator(".badge").inner_text() == "放弃"
    for row in (failed_row, dead_row):
        assert "Connection refused" in row.inner_text() or "URLError" in row.inner_text()
        assert "由审核人重新发送" in row.inner_text()  # a caseworker cannot resend
        assert row.locator("button:has-text('重新发送')").count() == 0
    assert failed_row.locator("td").nth(6).inner_text() != "—"  # its next attempt is scheduled
    assert OutboundMessage.objects.get(kind="training.willingness", source_id=retried.pk).next_attempt_at

    phone = open_page(390, 844)
    login(phone, "cw_nanguan")
    phone.goto(f"{phone.base_url}/training/demand/")
    assert_fits(phone, "缺工与培训意愿")
    screenshot(phone, "rural-transfer-demand-390")
    phone.goto(f"{phone.base_url}/integrations/deliveries/")
    assert_fits(phone, "对外推送")
    assert_filters_inside_their_card(phone)
    screenshot(phone, "rural-transfer-deliveries-390")

    # A supervisor sends the given-up one again while the platform is still down: one new attempt, 放弃 again.
    reviewer = open_page(1366, 860)
    login(reviewer, "sup_changchun")
    reviewer.goto(f"{reviewer.base_url}/integrations/deliveries/?status=dead")
    row = row_of(reviewer, given_up.pk, "企业缺工登记")
    row.locator("button:has-text('重新发送')").click()
    reviewer.wait_for_selector("#portal-confirm.show")
    reviewer.click("#portal-confirm-ok")
    reviewer.wait_for_selector("text=已重新加入发送队列")
    row = row_of(reviewer, given_up.pk, "企业缺工登记")
    assert row.locator(".badge").inner_text() == "放弃"
    assert row.locator("td").nth(5).inner_text() == "1"  # attempts restarted: this was the first again
    screenshot(reviewer, "rural-transfer-resend-dead-1366")

    # The platform is back: 重新发送 the failed one, and it is delivered.
    settings.INTEGRATION_BACKEND = "file"
    settings.INTEGRATION_MAX_ATTEMPTS = 8
    row = row_of(reviewer, retried.pk, "培训意愿登记")
    row.locator("button:has-text('重新发送')").click()
    reviewer.wait_for_selector("#portal-confirm.show")
    reviewer.click("#portal-confirm-ok")
    reviewer.wait_for_selector("text=已重新加入发送队列")
    row = row_of(reviewer, retried.pk, "培训意愿登记")
    assert row.locator(".badge").inner_text() == "已发送"
    assert row.locator("td").nth(8).inner_text() != "—"  # delivered at
    assert row.locator("button:has-text('重新发送')").count() == 0
    message = OutboundMessage.objects.get(kind="training.willingness", source_id=retried.pk)
    assert (message.status, message.attempts) == (S.SENT, 1)
    assert message.history.filter(history_user=supervisor).exists()  # who pressed it is kept
    screenshot(reviewer, "rural-transfer-resend-sent-1366")

    reviewer_phone = open_page(390, 844)
    login(reviewer_phone, "sup_changchun")
    reviewer_phone.goto(f"{reviewer_phone.base_url}/integrations/deliveries/")
    assert_fits(reviewer_phone, "对外推送（审核人）")
    screenshot(reviewer_phone, "rural-transfer-deliveries-reviewer-390")
