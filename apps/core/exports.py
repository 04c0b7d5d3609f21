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
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel on Windows reads a UTF-8 CSV correctly only when it starts with a byte-order mark. Files meant for
# scripts (the refund contract) go without it.
BOM = "\ufeff"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"  # the lists' format (2025-03-01), as a real date cell
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_WIDTH = 60  # a long address or explanation wraps to this, not to its full length

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


def _number_format(value: Any) -> str | None:
    """Money with two decimals and separators, dates as dates; other values keep the sheet's default."""
    if isinstance(value, Decimal):
        return MONEY_FORMAT
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    return None


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


def xlsx_stream(rows: Iterable[Row], target, *, title: str, widths: Sequence[int] | None = None) -> int:
    """A workbook streamed into `target` (a path or a binary file) in constant memory (XlsxWriter's
    constant_memory mode: each row is flushed to a temporary file as soon as the next starts): a bold frozen
    header row, money and dates formatted. Text is always written as a string cell (never a formula), after
    `neutralise`. Widths are set before the first row (a streamed sheet can't measure its columns); without
    them, each column gets the width of its header. Returns rows written.

    XlsxWriter rather than openpyxl's write-only mode: the same sheet of a million rows in about half the
    time (bench/exports.py); openpyxl still reads imports and makes the small formatted sheets below."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(title[:31])
    sheet.freeze_panes(1, 0)
    bold = book.add_format({"bold": True})
    formats = {MONEY_FORMAT: book.add_format({"num_format": MONEY_FORMAT}),
               DATE_FORMAT: book.add_format({"num_format": DATE_FORMAT}),
               DATETIME_FORMAT: book.add_format({"num_format": DATETIME_FORMAT})}
    write_string, write_number = sheet.write_string, sheet.write_number
    count = 0
    for row in rows:
        if count == 0:
            for index, value in enumerate(row):
                width = widths[index] if widths and index < len(widths) else max(12, len(str(value)) * 2 + 2)
                sheet.set_column(index, index, min(width, MAX_WIDTH))
            for column, value in enumerate(safe_row(row)):
                sheet.write(count, column, "" if value is None else str(value), bold)
            count += 1
            continue
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                write_string(count, column, neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(count, column, value)
            elif isinstance(value, Decimal):
                write_number(count, column, value, formats[MONEY_FORMAT])
            elif isinstance(value, int | float):
                write_number(count, column, value)
            elif isinstance(value, datetime):
                if value.tzinfo is not None:
                    value = timezone.localtime(value).replace(tzinfo=None)  # a spreadsheet has no time zones
                sheet.write_datetime(count, column, value, formats[DATETIME_FORMAT])
            elif isinstance(value, date):
                sheet.write_datetime(count, column, value, formats[DATE_FORMAT])
            else:
                write_string(count, column, neutralise(str(value)))
        count += 1
    book.close()
    return count


def xlsx_bytes(rows: Iterable[Row], *, title: str, widths: Sequence[int] | None = None) -> bytes:
    """A sheet for people: bold frozen header row, Decimal money as #,##0.00, dates as date cells, columns
    sized to their content (at most MAX_WIDTH)."""
    return xlsx_sheets_bytes([(title, rows, widths)])


def xlsx_sheets_bytes(sheets: Sequence[tuple[str, Iterable[Row], Sequence[int] | None]]) -> bytes:
    """Several such sheets in one workbook (an import template and its notes; a disbursement file and its
    control record)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, widths in sheets:
        _fill_sheet(book.create_sheet(title[:31]), rows, widths)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet, rows: Iterable[Row], widths: Sequence[int] | None) -> None:
    for row in rows:
        sheet.append([timezone.localtime(value).replace(tzinfo=None)
                      if isinstance(value, datetime) and value.tzinfo is not None else value
                      for value in safe_row(row)])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text looks like
            elif (number_format := _number_format(cell.value)) is not None:
                cell.number_format = number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols()):
        width = widths[index] if widths and index < len(widths) else max(
            10, *(len(str(cell.value or "")) * 2 for cell in column))
        sheet.column_dimensions[column[0].column_letter].width = min(width, MAX_WIDTH)


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
