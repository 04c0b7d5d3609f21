"""异议 end to end: a caseworker lodges an objection on an employer's behalf with a PDF, a supervisor assigns and
upholds it with a corrected fact, and the result page shows the old and the new explanation side by side —
at 1366 px and at 390×844."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.objections.models import Objection
from apps.refunds.models import RefundResult, RefundRun
from tests.browser.conftest import assert_fits, login
from tests.refunds.conftest import CASES, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_lodge_on_behalf_uphold_and_compare(browser, live_server, screenshot, caseworker, supervisor, tmp_path,
                                            settings, size):
    from apps.refunds.services import run_start

    settings.MEDIA_ROOT = tmp_path / "media"
    case = next(c for c in CASES if c.key == "eleven_months")
    employer = build_case(case)
    run = run_start(user=caseworker, year=2025, region_code="220102")
    today = timezone.localdate()
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.PUBLICIZING, published_at=timezone.now(),
                                               publicity_starts_on=today, publicity_ends_on=today + timedelta(days=5))
    pdf = tmp_path / "缴费证明.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% proof of payment\n")

    context = browser.new_context(viewport=SIZES[size], locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    login(page, "cw_nanguan")
    page.goto(f"{live_server.url}/refunds/{run.pk}/employers/{employer.pk}/")
    page.click("#lodge-objection")
    page.select_option("#disputed_item", "fact:months_paid_in_full")
    page.fill("#grounds", "2024年1月的缴费已足额缴纳，应为连续足额缴费12个月。")
    page.set_input_files("#file", str(pdf))
    assert_fits(page)
    screenshot(page, f"objections-lodge-{size}")
    page.click("#lodge-form button[type=submit]")
    page.wait_for_selector("#objection-status")
    objection = Objection.objects.get()
    assert objection.channel == "on_behalf" and objection.entered_by.username == "cw_nanguan"
    assert "缴费证明.pdf" in page.locator("#attachments").inner_text()
    assert page.locator("#decision").count() == 0  # a caseworker decides nothing
    context.close()

    context = browser.new_context(viewport=SIZES[size], locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    login(page, "sup_changchun")
    page.goto(f"{live_server.url}/objections/{objection.pk}/")
    with page.expect_download() as download:
        page.click("#attachments a")
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    page.click("form[action$='/assign/'] button[type=submit]")
    page.wait_for_selector("#decision")
    page.fill("#reasons", "经核查社保缴费记录，2024年1月已足额缴费。")
    page.fill("#fact_months_paid_in_full", "12")
    assert_fits(page)
    screenshot(page, f"objections-decision-{size}")
    page.click("#decision button[value=uphold]")
    page.wait_for_selector("#portal-confirm.show")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=异议成立")
    assert Objection.objects.get().status == "upheld"
    new = RefundResult.objects.get(run=run, employer=employer)
    assert new.version == 2 and new.eligible
    page.goto(f"{live_server.url}/refunds/{run.pk}/employers/{employer.pk}/")
    page.wait_for_selector("#comparison")
    assert page.locator("#comparison .changed-fact").count() >= 3  # months, eligible, amount
    assert_fits(page)
    screenshot(page, f"objections-comparison-{size}")
    context.close()
