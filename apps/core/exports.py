"""Tabular downloads for every app: one way to encode CSV/XLSX, stream large files and name them.

Apps decide *what* the rows are (columns, labels, money as text or Decimal); this module decides how
rows become a file. Small tables people read get a formatted sheet; exports of a million rows stream
(CSV lines; the XLSX sheet's XML written row by row into its ZIP, `xlsx_stream`) so memory stays constant.

Every cell goes through `neutralise` on its way out (OWASP "CSV injection"): a text cell that starts with
= + - @, a tab or a carriage return — a name imported from someone else's file — would otherwise open as a
live formula (=HYPERLINK(…), =CMD|…) in Excel or WPS. It gets a leading single quote and is written to XLSX
as a string cell. Numbers (int, Decimal, float) are never touched, so a negative amount stays a number.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

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


# ------------------------------------------------------------------ the streamed sheet, written as XML

_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/></Relationships>'),
    # Styles by index: 0 plain, 1 bold (the header), 2 money, 3 date, 4 date and time.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{MONEY_FORMAT}"/>'
        f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/><numFmt numFmtId="166" formatCode="{DATETIME_FORMAT}"/>'
        '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
# XML 1.0 cannot carry most control characters; OOXML spells them _xHHHH_ (and a literal "_x" as _x005F_x).
_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;",
             **{code: f"_x{code:04X}_" for code in range(32) if code not in (9, 10)}}
_EPOCH = datetime(1899, 12, 30)


def _xml_text(value: str) -> str:
    if "_x" in value:
        value = value.replace("_x", "_x005F_x")
    return value.translate(_XML_TEXT)


def _cell(value: Any, bold: bool = False) -> str:
    """One <c> of a row (no reference: cells are in order), text always an inline string, never a formula."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, str):
        style = ' s="1"' if bold else ""
        return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_xml_text(neutralise(value))}</t></is></c>'
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c s="2"><v>{value}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)  # a spreadsheet has no time zones
        return f'<c s="4"><v>{(value - _EPOCH).total_seconds() / 86400!r}</v></c>'
    if isinstance(value, date):
        return f'<c s="3"><v>{(value - _EPOCH.date()).days}</v></c>'
    return _cell(str(value), bold)


def xlsx_stream(rows: Iterable[Row], target, *, title: str, widths: Sequence[int] | None = None) -> int:
    """A one-sheet workbook streamed into `target` (a path or a binary file) in constant memory: the sheet's
    XML is written row by row into the ZIP as it is made. A bold frozen header row, money (Decimal) with
    #,##0.00, dates as date cells; text always a string cell (never a formula) after `neutralise`. Widths are
    set before the first row (a streamed sheet can't measure its columns); without them, each column gets the
    width of its header. Returns rows written.

    Written directly, not through openpyxl's write-only mode or XlsxWriter: both spend most of a million-row
    sheet in per-cell Python (bench/exports.py); here a row is one join of small strings."""
    count = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _XLSX_STATIC.items():
            archive.writestr(name, text)
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{escape(title[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            sheet = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
            sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
            cell = _cell
            for row in rows:
                if count == 0:
                    sheet.write("<cols>")
                    for index, value in enumerate(row):
                        width = widths[index] if widths and index < len(widths) else max(12, len(str(value)) * 2 + 2)
                        sheet.write(f'<col min="{index + 1}" max="{index + 1}" width="{min(width, MAX_WIDTH)}" '
                                    'customWidth="1"/>')
                    sheet.write("</cols><sheetData>")
                    sheet.write("<row>" + "".join(cell("" if v is None else str(v), True) for v in row) + "</row>")
                else:
                    sheet.write("<row>" + "".join([cell(value) for value in row]) + "</row>")
                count += 1
            if count == 0:
                sheet.write("<sheetData>")
            sheet.write("</sheetData></worksheet>")
            sheet.flush()
            sheet.detach()
    return count
