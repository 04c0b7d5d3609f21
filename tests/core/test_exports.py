"""The one way every app turns rows into a CSV/XLSX download."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from apps.core.exports import BOM, csv_bytes, csv_lines, download, xlsx_bytes, xlsx_stream

ROWS = [["单位", "金额"], ["吉林某公司", Decimal("1234.50")], ["长春某所", Decimal("0.00")]]


def test_csv_has_a_byte_order_mark_on_the_first_line_only():
    lines = list(csv_lines(ROWS))
    assert lines[0].startswith(BOM) and not any(line.startswith(BOM) for line in lines[1:])
    assert csv_bytes(ROWS).decode("utf-8-sig").splitlines()[1] == "吉林某公司,1234.50"


def test_csv_for_scripts_has_no_byte_order_mark():
    assert not next(csv_lines(ROWS, bom=False)).startswith(BOM)


def test_xlsx_for_people_has_a_bold_header_and_money_as_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(ROWS, title="清单"))).active
    assert sheet.title == "清单" and sheet["A1"].font.bold
    assert sheet["B2"].value == 1234.5 and sheet["B2"].number_format == "#,##0.00"


def test_streamed_xlsx_counts_rows_and_keeps_values():
    buffer = io.BytesIO()
    assert xlsx_stream(iter(ROWS), buffer, title="导出") == 3
    sheet = load_workbook(buffer).active
    assert [cell.value for cell in sheet[2]] == ["吉林某公司", 1234.5]


def test_download_names_a_chinese_file_and_picks_the_content_type():
    response = download(b"x", filename="托育补助拨付清单_2025.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert download(b"x", filename="errors.csv")["Content-Disposition"] == 'attachment; filename="errors.csv"'
