"""Main childcare flow in a browser: register institution → enrol children → compute claim → submit →
初审 and 公示 (another person; the public list without a login) → 复核 after the window (a third person) →
export the disbursement list."""

from datetime import date, timedelta

import pytest

from apps.accounts.models import User
from apps.childcare.models import OperatingSubsidyClaim
from apps.core.demo import make_id_number, make_uscc
from apps.publicity.models import Publication
from tests.browser.conftest import login
from tests.childcare.conftest import ensure_childcare_parameters
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('退出')")
    page.wait_for_selector("input[name=username]")


def test_register_enrol_compute_approve_export(page, screenshot, caseworker, supervisor):
    ensure_childcare_parameters()
    uscc = make_uscc("220102", 6161, "52")
    login(page, "cw_nanguan")
    page.click("nav >> text=托育机构")
    page.wait_for_selector("text=托育服务概览")
    page.click(".childcare-subnav >> text=托育机构")
    page.click("text=登记机构")
    page.fill("#id_name", "南关区浏览器测试托育园")
    page.fill("#id_uscc", uscc)
    page.select_option("#id_category", "private_inclusive")
    page.select_option("#id_region", "220102")
    page.fill("#id_address", "长春市南关区人民大街100号")
    page.fill("#id_inclusive_certificate_number", "吉普惠托〔2024〕8号")
    page.fill("#id_inclusive_certified_from", "2024-01-01")
    page.fill("#id_places_infant", "5")
    page.fill("#id_places_toddler", "10")
    page.fill("#id_places_preschool", "5")
    page.check("#id_community_embedded")
    screenshot(page, "childcare-institution-form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("h1:has-text('南关区浏览器测试托育园')")

    children = [("赵小禾", date(2024, 2, 1), "2025-01-01"), ("钱小川", date(2023, 11, 5), "2025-07-01")]
    for index, (name, birth, start) in enumerate(children):
        page.click("text=办理入托")
        page.fill("#id_child_id_number", make_id_number("220102", birth, 40 + index, index == 0))
        page.fill("#id_child_name", name)
        page.select_option("#id_age_group", "toddler")
        page.fill("#id_start_date", start)
        page.fill("#id_guardian_id_number", make_id_number("220102", date(1992, 3, 3), 60 + index, True))
        page.fill("#id_guardian_name", f"{name[0]}妈妈")
        page.select_option("#id_guardian_relationship", "mother")
        page.click("button:has-text('保存')")
        page.wait_for_selector(f"text={name}已入托")
    assert page.locator("#children tbody tr").count() == 2
    screenshot(page, "childcare-institution-detail")

    page.fill("#claims input[name=year]", "2025")
    page.click("button:has-text('测算补助')")
    page.wait_for_selector("text=计算说明")
    # 3600 × (12 + 6) ÷ 12 = 5400 — from the calculator, 长春市城区 普惠民办
    assert page.inner_text("[data-testid=claim-amount]") == "5,400.00"
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=已提交，等待提交人以外的审核人初审")
    screenshot(page, "childcare-claim-submitted")
    claim_url = page.url
    logout(page)

    # 初审 (the submitter may not): the claim goes on the public list for its working-day window.
    login(page, "sup_changchun")
    page.goto(claim_url)
    page.fill("#id_comment", "材料齐全，初审通过")
    page.click("button:has-text('初审通过并公示')")
    page.wait_for_selector("#portal-confirm.show")
    assert "公开页面公示" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=已初审通过并发布公示")
    screenshot(page, "childcare-claim-publicizing")
    claim = OperatingSubsidyClaim.objects.get()
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING and claim.first_reviewed_by == supervisor
    # The public list, without a login: the institution, its masked code and the amount.
    public_url = page.locator("#public-link").get_attribute("href")
    logout(page)
    page.goto(public_url if public_url.startswith("http") else f"{page.base_url}{public_url}")
    page.wait_for_selector("text=南关区浏览器测试托育园")
    assert uscc not in page.content() and "5,400.00" in page.content()
    screenshot(page, "childcare-claim-public-list")

    # The window passes (moved back here rather than waited for); 复核 by a third person.
    ended = date.today() - timedelta(days=1)
    OperatingSubsidyClaim.objects.filter(pk=claim.pk).update(publicity_starts_on=ended - timedelta(days=6),
                                                             publicity_ends_on=ended)
    Publication.objects.filter(record_id=claim.pk).update(starts_on=ended - timedelta(days=6), ends_on=ended)
    UserFactory(username="sup_changchun_2", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)
    login(page, "sup_changchun_2")
    page.goto(claim_url)
    page.fill("#id_comment", "公示期满无异议，同意拨付")
    page.click("button:has-text('复核通过')")
    page.wait_for_selector("#portal-confirm.show")  # approval is irreversible: the dialog says so first
    assert "冻结并列入拨付清单" in page.locator("#portal-confirm-text").inner_text()
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=已审核通过，数据已冻结")
    screenshot(page, "childcare-claim-approved")
    assert OperatingSubsidyClaim.objects.get().status == OperatingSubsidyClaim.Status.APPROVED

    page.click(".childcare-subnav >> text=补助申报")
    page.wait_for_selector("text=南关区浏览器测试托育园")
    screenshot(page, "childcare-claim-list")
    with page.expect_download() as download_info:
        page.click("text=拨付清单 XLSX")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    with open(download.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "南关区浏览器测试托育园" and rows[1][2] == uscc
    assert float(rows[1][7]) == 5400.0

    page.click(".childcare-subnav >> text=概览")
    page.wait_for_selector("canvas#chart-regions")
    screenshot(page, "childcare-dashboard")
