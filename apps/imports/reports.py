"""The error report a caseworker downloads: every problem of a batch, as CSV (Excel-friendly BOM) or XLSX."""

import io

from apps.core.exports import csv_lines, xlsx_stream
from apps.imports.models import ImportBatch, ImportIssue

HEADER = ["行号", "列", "内容", "原因"]


def _issues(batch: ImportBatch):
    return ImportIssue.objects.filter(batch=batch).order_by("line", "id").values_list(
        "line", "column", "value", "message").iterator(chunk_size=2000)


def issues_as_rows(batch: ImportBatch):
    for line, column, value, message in _issues(batch):
        yield [line or "", column, value, message]


def _with_header(batch: ImportBatch):
    yield HEADER
    yield from issues_as_rows(batch)


def error_report_csv_lines(batch: ImportBatch):
    """CSV text lines (for a streaming response or a file), starting with a BOM so Excel reads UTF-8."""
    return csv_lines(_with_header(batch))


def error_report_xlsx(batch: ImportBatch) -> bytes:
    buffer = io.BytesIO()
    xlsx_stream(_with_header(batch), buffer, title="错误报告")
    return buffer.getvalue()
