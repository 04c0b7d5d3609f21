"""Spreadsheet formula injection (OWASP CSV injection): a text cell starting with = + - @, tab or CR leaves every
export as text — prefixed with a single quote, and in XLSX stored as a string, never a formula. Numbers stay
numbers, negative ones included."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apps.core.exports import csv_bytes, csv_lines, neutralise, table_download, xlsx_bytes, xlsx_stream

PAYLOADS = ['=HYPERLINK("http://x","y")', "=CMD|' /C calc'!A0", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]
SAFE = ["吉林某公司", "", "1+1", "a=b", "'quoted"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_dangerous_text_cell_is_prefixed_with_a_quote(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", [*SAFE, -1, Decimal("-12.50"), 0, 3.5, None])
def test_safe_text_and_every_number_are_left_alone(value):
    assert neutralise(value) == value


def _csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_cells_are_neutralised_and_negative_numbers_stay():
    rows = [["名称", "金额"], *[[payload, Decimal("-5.00")] for payload in PAYLOADS]]
    cells = _csv_cells(csv_bytes(rows))
    assert [row[0] for row in cells[1:]] == ["'" + payload for payload in PAYLOADS]
    assert {row[1] for row in cells[1:]} == {"-5.00"}
    assert "".join(csv_lines(rows, bom=False)).count("'") >= len(PAYLOADS)


@pytest.mark.parametrize("write", ["formatted", "streamed"])
def test_xlsx_cells_are_strings_never_formulas(write):
    rows = [["名称", "金额", "人数"], *[[payload, Decimal("-5.00"), -1] for payload in PAYLOADS]]
    if write == "formatted":
        data = xlsx_bytes(rows, title="清单")
    else:
        buffer = io.BytesIO()
        xlsx_stream(iter(rows), buffer, title="清单")
        data = buffer.getvalue()
    sheet = load_workbook(io.BytesIO(data)).active
    names = [sheet.cell(row=i, column=1) for i in range(2, len(PAYLOADS) + 2)]
    # XML reads a bare carriage return back as a line feed (openpyxl writes it bare); the streamed sheet escapes it as
    # _x000D_, which Excel reads back as the carriage return. The quote in front is what matters.
    values = [cell.value.replace("_x000D_", "\n") for cell in names]
    assert values == ["'" + payload.replace("\r", "\n") for payload in PAYLOADS]
    assert {cell.data_type for cell in names} == {"s"}
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == -1 and sheet["C2"].data_type == "n"
    assert b"<f>" not in data and b"<x:f>" not in data


def test_table_download_neutralises_both_formats():
    rows = [["名称"], ['=HYPERLINK("http://x","y")']]
    assert _csv_cells(table_download(rows, fmt="csv", stem="t", title="t").content)[1] == ["'" + rows[1][0]]
    sheet = load_workbook(io.BytesIO(table_download(rows, fmt="xlsx", stem="t", title="t").content)).active
    assert sheet["A2"].value == "'" + rows[1][0] and sheet["A2"].data_type == "s"
