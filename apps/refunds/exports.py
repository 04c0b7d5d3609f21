"""The export (after approval: the disbursement list). One row per employer, streamed from the database.

The first columns are the contract other systems read (English names, codes, amounts with two decimals);
Chinese columns follow for people. CSV is UTF-8 without a byte-order mark so scripts read the header
as written; caseworkers who open it in Excel should take the XLSX.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.http import FileResponse, HttpResponseBase

from apps.core import exports
from apps.core.exceptions import ConflictError
from apps.core.money import format_money
from apps.refunds.models import REASON_LABELS, SIZE_LABELS, RefundResult, RefundRun
from apps.refunds.selectors import result_list
from apps.refunds.services import run_export_record

HEADER = ["uscc", "name", "decision", "reasons", "size_class", "rate", "contributions_paid", "amount",
          "region_code", "entity_type", "months_paid_in_full", "has_arrears", "serious_dishonesty",
          "headcount_start", "headcount_end", "parameter_versions", "认定结果", "不符合原因", "企业划型"]
# Rows fetched from the database at a time while streaming (bounded memory for a million rows).
EXPORT_FETCH_SIZE = 5000
FORMATS = ("csv", "xlsx")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def export_rows(run: RefundRun, queryset=None) -> Iterator[list[str]]:
    rows = (queryset if queryset is not None else RefundResult.objects.filter(run=run)).order_by("employer_id")
    fields = ("employer__uscc", "employer__name", "eligible", "reasons", "size_class", "rate", "contributions_paid",
              "amount", "region_code", "entity_type", "months_paid_in_full", "has_arrears", "serious_dishonesty",
              "headcount_start", "headcount_end", "parameter_versions")
    for (uscc, name, eligible, reasons, size_class, rate, paid, amount, region, entity_type, months, arrears,
         dishonesty, start, end, versions) in rows.values_list(*fields).iterator(chunk_size=EXPORT_FETCH_SIZE):
        codes = [code for code in reasons.split(";") if code]
        yield [uscc, name, "eligible" if eligible else "ineligible", ";".join(codes), size_class, _plain(rate),
               _plain(paid), _plain(amount if eligible else Decimal(0)), region, entity_type, str(months),
               "1" if arrears else "0", "1" if dishonesty else "0", str(start), str(end), versions,
               "符合" if eligible else "不符合", "；".join(REASON_LABELS.get(c, c) for c in codes),
               SIZE_LABELS.get(size_class, size_class)]


def csv_lines(run: RefundRun, queryset=None) -> Iterator[str]:
    """No byte-order mark: scripts read the contract header exactly as written."""
    return exports.csv_lines(_with_header(export_rows(run, queryset)), bom=False)


def write_csv(run: RefundRun, handle, queryset=None) -> int:
    count = -1
    for count, line in enumerate(csv_lines(run, queryset)):  # noqa: B007 — the count is the point
        handle.write(line)
    return count


def write_xlsx(run: RefundRun, path, queryset=None) -> int:
    def typed(rows):
        for row in rows:
            for index in (5, 6, 7):  # money and rate as numbers in Excel (Decimal, never float)
                row[index] = Decimal(row[index]) if row[index] else None
            yield row

    return exports.xlsx_stream(_with_header(typed(export_rows(run, queryset))), path,
                               title=f"{run.year}年稳岗返还") - 1


def _with_header(rows):
    yield HEADER
    yield from rows


def export_filename(run: RefundRun, fmt: str) -> str:
    kind = "发放清单" if run.is_frozen else "测算结果"
    return f"稳岗返还_{run.year}_{run.region_id}_{run.pk}_{kind}.{fmt}"


def format_amount(value) -> str:
    return format_money(value)


def export_response(*, run: RefundRun, user, request, fmt: str) -> HttpResponseBase:
    """Shared by the API and the runs page. A user sees (and exports) the rows of their own region only."""
    if run.status in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING):
        raise ConflictError("run_not_computed", "批次尚未计算完成，不能导出")
    rows = result_list(user=user, run=run)
    count = rows.count()
    run_export_record(run=run, user=user, request=request, rows=count, fmt=fmt)
    filename = export_filename(run, fmt)
    if fmt == "csv":
        return exports.streaming_csv(csv_lines(run, rows), filename=filename)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(run, handle, rows)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_MEDIA_TYPE)
