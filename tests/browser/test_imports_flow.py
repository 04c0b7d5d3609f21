"""Main flow of imports: a bad employers file shows every error, a good one lands in the list."""

import pytest

from tests.browser.conftest import login
from tests.imports.helpers import EMPLOYER_HEADER, bad_check_digit, employer_row, uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_bad_then_good_employers_file(page, screenshot, caseworker, tmp_path):
    bad = tmp_path / "单位-有错误.csv"
    bad.write_text("\n".join([
        EMPLOYER_HEADER, employer_row(1, name="南关区示范导入有限公司"),
        f"{bad_check_digit(uscc(2))},校验位错误的单位,enterprise,industry,10,,,220102,否",
        f"{uscc(3)},负数单位,enterprise,industry,-5,,,220102,否",
        f"{uscc(4)},外区单位,enterprise,industry,5,,,220204,否",
        employer_row(1, name="南关区示范导入有限公司"),
    ]), encoding="utf-8")
    good = tmp_path / "单位.csv"
    good.write_text("\n".join([EMPLOYER_HEADER, employer_row(1, name="南关区示范导入有限公司"),
                               employer_row(2, name="南关区第二导入有限公司")]), encoding="utf-8-sig")

    login(page, "cw_nanguan")
    page.wait_for_selector("text=工作台")
    page.goto(f"{page.base_url}/employers/")
    page.click("text=批量导入")
    page.wait_for_selector("text=文件格式")
    screenshot(page, "imports-upload")

    page.select_option("select[name=kind]", "employers")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload-button")
    page.wait_for_selector("#error-table")
    rows = page.locator("#error-table tbody tr")
    assert rows.count() == 4
    text = page.inner_text("#error-table")
    assert "校验位错误" in text and "不能为负数" in text and "不在您的经办范围" in text and "重复" in text
    assert page.locator("text=下载错误报告").count() == 1
    with page.expect_download() as download:
        page.click("text=下载错误报告")
    assert download.value.suggested_filename.endswith("errors.csv")
    screenshot(page, "imports-errors")

    page.click("text=再导入一个文件")
    page.set_input_files("input[name=file]", str(good))
    page.click("#upload-button")
    page.wait_for_selector("#import-result.alert-success")
    assert "新增 2 条" in page.inner_text("#import-result")
    screenshot(page, "imports-success")

    page.click("#import-result >> text=查看列表")
    page.wait_for_selector("text=南关区第二导入有限公司")
    assert page.locator("text=南关区示范导入有限公司").count() == 1
    screenshot(page, "employers-list-after-import")

    page.fill("main input[name=q]", "南关区第二")  # the list's own search, not the global box in the top bar
    page.click("button[type=submit] >> text=查询")
    page.wait_for_selector("text=共 1 条")
    page.click("text=南关区第二导入有限公司")
    page.wait_for_selector("text=失业保险缴费")
    screenshot(page, "employer-detail")
