"""Main childcare flow in a browser: register institution → enrol children → compute claim → submit →
approve (another person) → export the disbursement list."""

from datetime import date

import pytest

from apps.childcare.models import OperatingSubsidyClaim
from apps.core.demo import make_id_number, make_uscc
from tests.browser.conftest import login
from tests.childcare.conftest import ensure_childcare_parameters

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
    page.wait_for_selector("text=已提交，等待其他审核人审核")
    screenshot(page, "childcare-claim-submitted")
    claim_url = page.url
    logout(page)

    login(page, "sup_changchun")
    page.goto(claim_url)
    page.fill("#id_comment", "材料齐全，同意拨付")
    page.click("button:has-text('审核通过')")
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
