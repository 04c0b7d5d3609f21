"""The error report a caseworker downloads: every problem of a batch, as CSV (Excel-friendly BOM) or XLSX."""

import csv
import io

from apps.imports.models import ImportBatch, ImportIssue

HEADER = ["行号", "列", "内容", "原因"]


def _issues(batch: ImportBatch):
    return ImportIssue.objects.filter(batch=batch).order_by("line", "id").values_list(
        "line", "column", "value", "message").iterator(chunk_size=2000)


def issues_as_rows(batch: ImportBatch):
    for line, column, value, message in _issues(batch):
        yield [line or "", column, value, message]


class _Echo:
    def write(self, value):
        return value


def error_report_csv_lines(batch: ImportBatch):
    """Yields CSV text lines (for StreamingHttpResponse or a file), starting with a BOM so Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in issues_as_rows(batch):
        yield writer.writerow(row)


def error_report_xlsx(batch: ImportBatch) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    sheet.append(HEADER)
    for row in issues_as_rows(batch):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
