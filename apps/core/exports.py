"""Tabular downloads for every app: one way to encode CSV/XLSX, stream large files and name them.

Apps decide *what* the rows are (columns, labels, money as text or Decimal); this module decides how
rows become a file. Small tables people read get a formatted sheet; exports of a million rows stream
(CSV lines, write-only XLSX) so memory stays constant.

Every cell goes through `neutralise` on its way out (OWASP "CSV injection"): a text cell that starts with
= + - @, a tab or a carriage return — a name imported from someone else's file — would otherwise open as a
live formula (=HYPERLINK(…), =CMD|…) in Excel or WPS. It gets a leading single quote and is written to XLSX
as a string cell. Numbers (int, Decimal, float) are never touched, so a negative amount stays a number.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel on Windows reads a UTF-8 CSV correctly only when it starts with a byte-order mark. Files meant for
# scripts (the refund contract) go without it.
BOM = "\ufeff"
MONEY_FORMAT = "#,##0.00"

Row = Sequence[Any]
# What a spreadsheet program reads as the start of a formula (or uses to smuggle one past a check).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would evaluate, made inert with a leading quote; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: Row) -> list[Any]:
    return [neutralise(value) for value in row]


def _string_cells(sheet, row: Row) -> list[Any]:
    """A write-only row whose text cells are explicitly strings (data_type "s"), never formulas."""
    cells: list[Any] = []
    for value in safe_row(row):
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row], *, bom: bool = True) -> Iterator[str]:
    writer = csv.writer(_Echo())
    prefix = BOM if bom else ""
    for row in rows:
        yield prefix + writer.writerow(safe_row(row))
        prefix = ""


def csv_bytes(rows: Iterable[Row], *, bom: bool = True) -> bytes:
    return "".join(csv_lines(rows, bom=bom)).encode("utf-8")


def xlsx_stream(rows: Iterable[Row], target, *, title: str) -> int:
    """Write-only workbook into `target` (a path or a binary file): constant memory. Returns rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    count = 0
    for row in rows:
        sheet.append(_string_cells(sheet, row))
        count += 1
    book.save(target)
    return count


def _fill_sheet(sheet, rows: Iterable[Row], widths: Sequence[int] | None) -> None:
    for row in rows:
        sheet.append(safe_row(row))
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text looks like
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(sheet.iter_cols()):
        for cell in column:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
        width = widths[index] if widths and index < len(widths) else max(
            10, *(len(str(cell.value or "")) * 2 for cell in column))
        sheet.column_dimensions[column[0].column_letter].width = width


def xlsx_bytes(rows: Iterable[Row], *, title: str, widths: Sequence[int] | None = None) -> bytes:
    """A sheet for people: bold header row, Decimal money as #,##0.00, columns sized to their content."""
    return xlsx_sheets_bytes([(title, rows, widths)])


def xlsx_sheets_bytes(sheets: Sequence[tuple[str, Iterable[Row], Sequence[int] | None]]) -> bytes:
    """Several such sheets in one workbook (e.g. a disbursement file's rows and its control record)."""
    book = Workbook()
    for index, (title, rows, widths) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        _fill_sheet(sheet, rows, widths)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(content: bytes, *, filename: str) -> HttpResponse:
    """An attachment; the content type follows the extension, non-ASCII names are encoded (RFC 6266)."""
    kind = XLSX_CONTENT_TYPE if filename.endswith(".xlsx") else CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_download(rows: Iterable[Row], *, fmt: str, stem: str, title: str,
                   widths: Sequence[int] | None = None) -> HttpResponse:
    """A small table as CSV (with BOM) or a formatted XLSX; `fmt` other than "xlsx" means CSV."""
    if fmt == "xlsx":
        return download(xlsx_bytes(rows, title=title, widths=widths), filename=f"{stem}.xlsx")
    return download(csv_bytes(rows), filename=f"{stem}.csv")


def streaming_csv(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
