"""The whole 稳岗返还 loop in the browser, each step by the person who does it: computed → 初审 → 公示 (the public
list read without signing in) → one 异议 lodged on an employer's behalf and upheld (version 2 beside version 1) →
(the window passed: dates set in the database) → 复核 → disbursement file prepared, approved, issued → the bank's
return with one failure → the bank account corrected → re-issued and paid → the report balances → reconciled → 已告知 (every payee told) →
the 告知书 batch ZIP; at the end the 名单公示, 异议处理结果 and 已发放到账 messages are in the outbox."""

import csv
import io
import time

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.core.validators import mask_id_number
from apps.employers.models import Employer
from apps.notifications.models import Message
from apps.objections.models import Objection
from apps.payments.models import PaymentBatch, PaymentLine
from apps.refunds.models import RefundResult, RefundRun, RefundRunTransition
from tests.browser.conftest import assert_fits, login
from tests.browser.test_publicity import confirm, final_review
from tests.factories import UserFactory
from tests.payments.conftest import bank_for
from tests.refund_review import move_window
from tests.refunds.conftest import CASES, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEYS = ("baseline", "exactly_12_months", "small_layoff_exactly_20", "eleven_months")  # the last one objects


def _employers() -> dict[str, Employer]:
    employers = {}
    for n, key in enumerate(KEYS):
        employer = build_case(next(c for c in CASES if c.key == key))
        for name, value in bank_for(employer, n).items():
            setattr(employer, name, value)
        employer.contact_name = "张经理"
        employer.contact_phone = f"1380013800{n}"
        employer.contact_email = f"hr{n}@example.com"
        employer.save()
        employers[key] = employer
    return employers


def _import_return(page, path, rows: list[tuple[str, str, str]]):
    path.write_text("reference,result,failure_reason\n" + "".join(f"{r},{o},{f}\n" for r, o, f in rows),
                    encoding="utf-8")
    page.goto(f"{page.base_url}/imports/?kind=payment_returns")
    page.set_input_files("input[type=file]", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=导入成功")


def _approve_and_issue(page, batch: PaymentBatch) -> list[list[str]]:
    """As a reviewer: approve and issue the file, download its CSV → its rows (header … 合计)."""
    page.goto(f"{page.base_url}/payments/batches/{batch.pk}/")
    assert "校验值绑定" in confirm(page, "#action-approve")
    page.wait_for_selector("#action-issue")
    confirm(page, "#action-issue")
    page.wait_for_selector("#file-csv")
    with page.expect_download() as download:
        page.click("#file-csv")
    return list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))


def test_a_refund_run_through_the_whole_loop(open_page, live_server, screenshot, caseworker, supervisor, tmp_path,
                                             settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    employers = _employers()
    objector = employers["eleven_months"]
    decider = UserFactory(username="sup_objections", role=User.Role.SUPERVISOR, region_id="220102", is_staff=True)
    approver = UserFactory(username="sup_review_2", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)

    # computed: the caseworker starts the run on the run list.
    maker = open_page()
    login(maker, caseworker.username)
    maker.goto(f"{live_server.url}/refunds/")
    maker.fill("input[name=year]", "2025")
    maker.select_option("select[name=region]", "220102")
    maker.click("#start-run button[type=submit]")
    maker.wait_for_function("document.getElementById('progress').getAttribute('aria-valuenow') === '100'")
    assert "待初审" in maker.locator("#run-status").inner_text()
    run = RefundRun.objects.get()
    assert run.started_by_id == caseworker.pk
    assert not RefundResult.objects.get(run=run, employer=objector).eligible

    # 初审 and 公示 by a reviewer who is not the starter.
    first = open_page()
    login(first, supervisor.username)
    first.goto(f"{live_server.url}/refunds/{run.pk}/")
    first.fill("#review textarea[name=comment]", "数据核对无误")
    assert "初审通过后" in confirm(first, "#firstreview")
    first.wait_for_selector("text=初审通过，可发布公示")
    assert "公开页面公示" in confirm(first, "#publish")
    first.wait_for_selector("text=已发布公示")
    assert "公示中" in first.locator("#run-status").inner_text()
    public_url = first.locator("#public-link").get_attribute("href")

    public = open_page()  # nobody signed in
    assert public.goto(public_url).status == 200
    rows = public.locator("#public-rows").inner_text()
    baseline = employers["baseline"]
    assert baseline.name in rows and mask_id_number(baseline.uscc) in rows and baseline.uscc not in rows
    assert objector.name not in rows  # ineligible before the objection

    # 异议: lodged on the objector's behalf by the caseworker, with a PDF, on the result page.
    pdf = tmp_path / "缴费证明.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% proof of payment\n")
    maker.goto(f"{live_server.url}/refunds/{run.pk}/employers/{objector.pk}/")
    assert "代为录入异议" in maker.locator("#lodge-objection").inner_text()
    maker.click("#lodge-objection")
    lodge_url = maker.url

    def lodge():
        maker.select_option("#disputed_item", "fact:months_paid_in_full")
        maker.fill("#grounds", "2024年1月的缴费已足额缴纳，应为连续足额缴费12个月。")
        maker.set_input_files("#file", str(pdf))
        maker.click("#lodge-form button[type=submit]")

    lodge()  # on the day of publication: the window opens on the next working day
    maker.wait_for_selector("text=届时方可提出异议")
    assert not Objection.objects.exists()
    today = timezone.localdate()
    run.refresh_from_db()
    move_window(run, starts_on=today, ends_on=run.publicity_ends_on)  # time: the window's first day
    maker.goto(lodge_url)
    lodge()
    maker.wait_for_selector("#objection-status")
    assert "缴费证明.pdf" in maker.locator("#attachments").inner_text()
    objection = Objection.objects.get()
    assert objection.channel == "on_behalf"

    # … decided 异议成立 by a different reviewer, with the corrected fact.
    judge = open_page()
    login(judge, decider.username)
    judge.goto(f"{live_server.url}/objections/{objection.pk}/")
    judge.click("form[action$='/assign/'] button[type=submit]")
    judge.wait_for_selector("#decision")
    judge.fill("#reasons", "经核查社保缴费记录，2024年1月已足额缴费。")
    judge.fill("#fact_months_paid_in_full", "12")
    judge.click("#decision button[value=uphold]")
    judge.wait_for_selector("#portal-confirm.show")
    judge.click("#portal-confirm-ok")
    judge.wait_for_selector("text=异议成立")
    assert Objection.objects.get().status == "upheld"
    judge.goto(f"{live_server.url}/refunds/{run.pk}/employers/{objector.pk}/")
    comparison = judge.locator("#comparison").inner_text()
    assert "第 1 版 → 第 2 版" in comparison
    assert "更正前的计算过程（第 1 版）" in comparison and "更正后的计算过程（第 2 版）" in comparison
    assert judge.locator("#comparison .changed-fact").count() >= 3  # months, eligible, amount
    current = RefundResult.objects.get(run=run, employer=objector)
    assert current.version == 2 and current.eligible and current.amount > 0

    # The window has passed (time, set in the database); 复核 by a reviewer neither starter nor first reviewer.
    checker = final_review(open_page, live_server, run, approver.username, "公示期满，异议已处理，同意发放")
    run.refresh_from_db()
    assert (run.started_by_id, run.first_reviewed_by_id, run.decided_by_id) == (
        caseworker.pk, supervisor.pk, approver.pk)

    # The disbursement file: prepared by the caseworker from the run, approved and issued by a reviewer.
    maker.goto(f"{live_server.url}/refunds/{run.pk}/")
    maker.click("#payment-link")
    maker.wait_for_selector("#readiness")
    assert maker.locator("#missing-bank-details").count() == 0
    maker.click("#prepare")
    maker.wait_for_selector("#control-total")
    assert "4 笔" in maker.locator("#control-total").inner_text()  # three eligible + the upheld objector
    assert maker.locator("#action-approve").count() == 0
    rows = _approve_and_issue(checker, PaymentBatch.objects.get())
    assert rows[-1][0] == "合计" and rows[-1][1] == "4"
    refs = [row[0] for row in rows[1:-1]]
    failed = PaymentLine.objects.get(reference__in=refs, payee_name=baseline.name)

    # The bank's return: one line failed.
    _import_return(checker, tmp_path / "回盘1.csv", [(ref, "failed" if ref == failed.reference else "paid",
                                                     "账户不存在" if ref == failed.reference else "") for ref in refs])
    maker.goto(f"{live_server.url}/payments/refund-run/{run.pk}/")
    failed_text = maker.locator("#failed-lines").inner_text()
    assert failed.reference in failed_text and "账户不存在" in failed_text

    # The caseworker corrects that employer's bank account, then re-issues.
    maker.goto(f"{live_server.url}/employers/{baseline.pk}/edit/")
    maker.fill("input[name=bank_account]", "6222020200112233445")
    maker.click("main button[type=submit]:has-text('保存')")
    maker.wait_for_url(f"**/employers/{baseline.pk}/")
    assert Employer.objects.get(pk=baseline.pk).bank_account == "6222020200112233445"
    maker.goto(f"{live_server.url}/payments/refund-run/{run.pk}/")
    maker.click("#reissue")
    maker.wait_for_selector("#control-total")
    assert "1 笔" in maker.locator("#control-total").inner_text()
    reissue = PaymentBatch.objects.order_by("pk").last()
    assert reissue.kind != PaymentBatch.objects.order_by("pk").first().kind
    rows = _approve_and_issue(checker, reissue)
    assert rows[-1][1] == "1" and "6222020200112233445" in rows[1]
    _import_return(checker, tmp_path / "回盘2.csv", [(rows[1][0], "paid", "")])

    # The report balances; the run is reconciled.
    checker.goto(f"{live_server.url}/payments/refund-run/{run.pk}/report/")
    assert "可确认对账完成" in checker.locator("#balance").inner_text()
    checker.goto(f"{live_server.url}/refunds/{run.pk}/")
    checker.click("#reconcile")
    checker.wait_for_selector("text=已确认对账完成")
    # Every payee's 已发放到账 message sent (the outbox, eagerly or through the worker): the run ends 已告知, the
    # loop's last state, as the system — at once when the messages went out before the click, else when the last goes.
    deadline = time.monotonic() + 30
    while RefundRun.objects.get(pk=run.pk).status != RefundRun.Status.NOTIFIED and time.monotonic() < deadline:
        time.sleep(0.2)
    assert RefundRun.objects.get(pk=run.pk).status == RefundRun.Status.NOTIFIED
    last = RefundRunTransition.objects.filter(run=run).order_by("pk").last()
    assert last.to_status == RefundRun.Status.NOTIFIED and last.user is None

    # 告知书: the run's batch, then its ZIP link.
    checker.click("#notice-start")
    checker.wait_for_selector("#notice-download:not(.disabled)", timeout=60_000)
    with checker.expect_download() as download:
        checker.click("#notice-download")
    assert download.value.path().read_bytes().startswith(b"PK")

    phone = open_page(390, 844)
    login(phone, approver.username)
    phone.goto(f"{live_server.url}/refunds/{run.pk}/")
    phone.wait_for_selector("#run-status")
    path = screenshot(phone, "refund-loop-run-390")
    assert path.exists()
    assert_fits(phone, "the run page")

    # The outbox: 名单公示 to every eligible unit, 异议处理结果 to the objector, 已发放到账 to each payee.
    events = set(Message.objects.values_list("event", flat=True))
    assert {"refunds.run_published", "refunds.objection_decided", "payments.paid"} <= events, events
    decided = Message.objects.filter(event="refunds.objection_decided")
    assert {m.recipient_address for m in decided} <= {objector.contact_phone, objector.contact_email}
    paid_to = set(Message.objects.filter(event="payments.paid").values_list("recipient_name", flat=True))
    assert {e.name for e in employers.values()} <= paid_to, paid_to
