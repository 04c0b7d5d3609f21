"""Daily use (issue 15) in a real browser, at 1366 px and on a 390×844 phone (no sideways scroll either way):
an XLSX export downloaded from the page and read back cell by cell; a GBK CSV with Chinese headers imported
through the upload page; a sortable column and a saved filter."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.models import SavedFilter
from apps.employers.models import Employer
from apps.imports.services import spec_for
from tests.browser.conftest import assert_fits, login
from tests.childcare.conftest import ensure_childcare_parameters
from tests.childcare.factories import InstitutionFactory, publicized
from tests.childcare.test_claims import enrol_for_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = [(1366, 860), (390, 844)]
SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "fixtures" / "samples"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_disbursement_xlsx_reads_back_cell_by_cell(open_page, screenshot, caseworker, supervisor, width, height):
    ensure_childcare_parameters()
    institution = InstitutionFactory(name="南关区导出测试托育园", category=Institution.Category.PRIVATE_INCLUSIVE)
    enrol_for_months(institution, 12, children=2)
    claim = claims.claim_submit(claim=claims.claim_compute(institution=institution, year=2025, user=caseworker),
                                user=caseworker)
    claim = claims.claim_approve(claim=publicized(claim), user=supervisor)  # through 初审 and 公示
    page = open_page(width, height)
    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/childcare/claims/?year=2025")
    page.wait_for_selector("text=南关区导出测试托育园")
    assert_fits(page)
    screenshot(page, f"claims-list-{width}")
    with page.expect_download() as download_info:
        page.click("text=拨付清单 XLSX")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    assert sheet.freeze_panes == "A2"  # the header row stays in view
    header = [cell.value for cell in sheet[1]]
    assert header == ["序号", "机构名称", "统一社会信用代码", "所在区划", "机构类别", "年度", "在托人月数",
                      "补助金额（元）", "审核人", "审核时间"]
    assert all(cell.font.bold for cell in sheet[1])
    row = sheet[2]
    assert row[0].value == 1 and row[0].data_type == "n"
    assert row[1].value == "南关区导出测试托育园" and row[2].value == institution.uscc and row[2].data_type == "s"
    assert row[3].value == "南关区"
    assert row[4].value == "普惠民办"  # the label, not private_inclusive
    assert row[5].value == 2025 and row[5].data_type == "n"
    assert row[6].value == 24 and row[6].data_type == "n"
    assert Decimal(str(row[7].value)) == claim.amount and row[7].data_type == "n"
    assert row[7].number_format == "#,##0.00"
    assert row[8].value == str(supervisor)
    assert isinstance(row[9].value, datetime) and row[9].is_date and row[9].value.date() <= date.today()
    total = sheet[3]
    assert total[0].value == "合计" and total[6].value == 24 and Decimal(str(total[7].value)) == claim.amount
    assert claim.status == OperatingSubsidyClaim.Status.APPROVED


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_gbk_csv_with_chinese_headers_is_imported_through_the_page(open_page, screenshot, caseworker, tmp_path,
                                                                     width, height):
    spec = spec_for("employers")
    labels = {column.name: column.label for column in spec.columns}
    sample = (SAMPLES / "employers.csv").read_text(encoding="utf-8-sig").splitlines()
    codes = sample[0].split(",")
    region = codes.index("region_code")  # the caseworker's own district's rows (南关区)
    lines = [sample[0], *(line for line in sample[1:] if line.split(",")[region] == "220102")]
    assert len(lines) > 2
    gbk = tmp_path / "用人单位-GBK.csv"
    gbk.write_bytes("\n".join([",".join(labels[code] for code in codes), *lines[1:]]).encode("gbk"))
    assert "统一社会信用代码" in gbk.read_bytes().decode("gbk") and not _is_utf8(gbk.read_bytes())

    page = open_page(width, height)
    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/imports/?kind=employers")
    page.wait_for_selector("input[name=file]")
    assert_fits(page)
    page.set_input_files("input[name=file]", str(gbk))
    page.click("#upload-button")
    page.wait_for_selector("#import-result.alert-success")
    assert f"新增 {len(lines) - 1} 条" in page.inner_text("#import-result")
    assert_fits(page)
    screenshot(page, f"import-gbk-{width}")
    first_name = lines[1].split(",")[1]
    assert Employer.objects.filter(name=first_name).exists()  # committed, the Chinese name read right
    page.click("#import-result >> text=查看列表")
    page.wait_for_selector(f"text={first_name}")
    assert_fits(page)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_sortable_column_and_a_saved_filter(open_page, screenshot, caseworker, width, height):
    for name, status in (("乙托育园", "operating"), ("甲托育园", "closed"), ("丙托育园", "operating")):
        InstitutionFactory(name=name, status=status)
    page = open_page(width, height)
    login(page, "cw_nanguan")
    page.goto(f"{page.base_url}/childcare/institutions/")
    page.wait_for_selector("text=甲托育园")
    assert_fits(page)

    def names():
        return [n for n in page.locator("main table tbody tr").all_inner_texts() if n.strip()]

    if width >= 768:  # the column header, clicked twice
        page.click("main th >> text=机构名称")
        page.wait_for_url("**ordering=name**")
        ascending = names()
        page.click("main th >> text=机构名称")
        page.wait_for_url("**ordering=-name**")
        assert page.locator("main th[aria-sort=descending]").count() == 1
    else:  # a phone shows the rows as cards: the same sort keys as links above them
        page.click(".list-sort >> text=机构名称 ↑")
        page.wait_for_url("**ordering=name**")
        ascending = names()
        page.click(".list-sort >> text=机构名称 ↓")
        page.wait_for_url("**ordering=-name**")
    descending = names()
    assert [row.split()[0] for row in descending] == [row.split()[0] for row in reversed(ascending)]

    page.click(".list-facets >> a[data-facet=status] >> text=正常运营")  # a status chip, with its count
    page.wait_for_url("**status=operating**")
    chip = page.locator(".list-facets a[aria-current=true][data-facet=status]")
    assert chip.locator(".facet-count").inner_text() == "2"
    assert "甲托育园" not in page.inner_text("main table")
    page.click("summary >> text=保存当前筛选")
    page.fill("input[name=name]", "运营中的机构")
    page.click(".save-filter button[type=submit]")
    page.wait_for_selector("text=已保存常用筛选：运营中的机构")
    saved = SavedFilter.objects.get(user=caseworker)
    assert "status=operating" in saved.querystring and "ordering=-name" in saved.querystring
    assert_fits(page)
    screenshot(page, f"saved-filter-{width}")

    page.goto(f"{page.base_url}/childcare/institutions/")
    page.wait_for_selector("text=甲托育园")
    page.click(".saved-filters >> text=运营中的机构")
    page.wait_for_url("**status=operating**")
    assert "甲托育园" not in page.inner_text("main table") and "乙托育园" in page.inner_text("main table")
    page.click(".saved-filter button[aria-label^=删除常用筛选]")
    page.wait_for_selector("#portal-confirm.show")  # deleting asks first
    page.click("#portal-confirm-ok")
    page.wait_for_selector("text=已删除常用筛选")
    assert not SavedFilter.objects.exists()
    assert_fits(page)
