"""Main flow of a payment, at a phone's width (390 px): the missing bank details listed, a file prepared by the
caseworker, approved and issued by the supervisor (buttons drawn from the lifecycle), the file downloaded,
the bank's return imported on the import page, the report balanced."""

import csv
import io

import pytest

from apps.payments.models import PaymentBatch
from apps.refunds.models import RefundRun
from tests.browser.conftest import assert_fits, login
from tests.payments.conftest import make_employers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_prepare_approve_issue_return_and_report_at_390px(browser, live_server, screenshot, caseworker, supervisor,
                                                          tmp_path):
    run = RefundRun.objects.create(year=2025, region_id="220102", status=RefundRun.Status.APPROVED, chunk_size=100,
                                   started_by=caseworker, decided_by=supervisor)
    employers = make_employers(run, 3)
    type(employers[1]).objects.filter(pk=employers[1].pk).update(bank_account="")

    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, "cw_nanguan")
    page.goto(f"{live_server.url}/payments/refund-run/{run.pk}/")
    page.wait_for_selector("#missing-bank-details")
    assert employers[1].name in page.locator("#readiness").inner_text()
    assert page.locator("#prepare").is_disabled()
    assert_fits(page)
    screenshot(page, "payments-missing-bank-details-390")

    type(employers[1]).objects.filter(pk=employers[1].pk).update(bank_account="42000211095555555")
    page.reload()
    page.click("#prepare")
    page.wait_for_selector("#control-total")
    assert "3 笔" in page.locator("#control-total").inner_text()
    assert page.locator("#action-approve").count() == 0  # the maker is offered no approval
    assert_fits(page)
    context.close()

    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, "sup_changchun")
    batch = PaymentBatch.objects.get()
    page.goto(f"{live_server.url}/payments/batches/{batch.pk}/")
    page.click("#action-approve")
    page.wait_for_selector("#portal-confirm.show")  # approval binds the file's hash: the dialog says so
    assert "校验值绑定" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#action-issue")
    page.click("#action-issue")
    page.wait_for_selector("#portal-confirm.show")
    page.click("#portal-confirm-ok")
    page.wait_for_selector("#file-csv")
    with page.expect_download() as download:
        page.click("#file-csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[-1][0] == "合计" and rows[-1][1] == "3"
    assert_fits(page)
    screenshot(page, "payments-issued-390")

    returned = tmp_path / "回盘.csv"
    returned.write_text("reference,result,failure_reason\n" + "\n".join(
        f"{row[0]},paid," for row in rows[1:-1]) + "\n", encoding="utf-8")
    page.goto(f"{live_server.url}/imports/?kind=payment_returns")
    page.set_input_files("input[type=file]", str(returned))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=导入成功")

    page.goto(f"{live_server.url}/payments/refund-run/{run.pk}/report/")
    page.wait_for_selector("#balance")
    assert "可确认对账完成" in page.locator("#balance").inner_text()
    assert_fits(page)
    page.goto(f"{live_server.url}/refunds/{run.pk}/")
    page.click("#reconcile")
    page.wait_for_selector("text=已确认对账完成")
    run.refresh_from_db()
    assert run.status == RefundRun.Status.RECONCILED
    context.close()
