"""The one way every app turns rows into a CSV/XLSX download."""

import io
from datetime import date
from decimal import Decimal

import pytest
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


PEOPLE_ROWS = [["单位", "金额", "核定日期", "说明"],
               ["吉林某公司", Decimal("1234567.50"), date(2025, 3, 1), "长" * 200],
               ["长春某所", Decimal("-12.30"), date(2025, 12, 31), ""]]


@pytest.mark.parametrize("writer", ["formatted", "streamed"])
def test_xlsx_for_people_cell_by_cell(writer):
    """Issue 15: Chinese headers in bold, frozen; money a number with two decimals and separators; dates as
    date cells; widths sensible (never the length of a 200-character cell)."""
    if writer == "formatted":
        content = xlsx_bytes(PEOPLE_ROWS, title="清单")
    else:
        buffer = io.BytesIO()
        xlsx_stream(iter(PEOPLE_ROWS), buffer, title="清单")
        content = buffer.getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == PEOPLE_ROWS[0] and all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    money = sheet["B2"]
    assert money.data_type == "n" and money.value == 1234567.5 and money.number_format == "#,##0.00"
    assert sheet["B3"].value == -12.3  # a negative amount stays a number
    day = sheet["C2"]
    assert day.is_date and day.value.date() == date(2025, 3, 1) and day.number_format == "yyyy-mm-dd"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert all(10 <= width <= 60 for width in widths.values()), widths
