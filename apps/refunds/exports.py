"""The export (after approval: the disbursement list). One row per employer, streamed from the database.

The first columns are the contract other systems read (English names, codes, amounts with two decimals);
Chinese columns follow for people. CSV is UTF-8 without a byte-order mark so scripts read the header
as written; caseworkers who open it in Excel should take the XLSX.

On PostgreSQL the CSV is one `COPY (SELECT …) TO STDOUT (FORMAT csv)`: the labels, the two-decimal money text
and the CSV-injection guard are SQL (`copy_select`), byte for byte what the Python path (`export_rows` through
apps.core.exports.csv_lines) writes — tests/refunds/test_export_copy.py compares the two. SQLite keeps the
Python path. A small CSV streams in the request; a large one and every XLSX are background jobs
(apps.core.export_jobs; this module's SOURCE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from django.conf import settings
from django.db import connection, connections
from django.db.models import F, Func, TextField
from django.http import HttpResponseBase

from apps.core import export_jobs, exports
from apps.core.exceptions import ConflictError
from apps.core.money import format_money
from apps.refunds.models import REASON_LABELS, SIZE_LABELS, RefundResult, RefundRun
from apps.refunds.selectors import result_list, run_get
from apps.refunds.services import run_export_record

HEADER = ["uscc", "name", "decision", "reasons", "size_class", "rate", "contributions_paid", "amount",
          "region_code", "entity_type", "months_paid_in_full", "has_arrears", "serious_dishonesty",
          "headcount_start", "headcount_end", "parameter_versions", "认定结果", "不符合原因", "企业划型"]
# Rows fetched from the database at a time while streaming (bounded memory for a million rows).
EXPORT_FETCH_SIZE = 5000
FORMATS = ("csv", "xlsx")
XLSX_MEDIA_TYPE = exports.XLSX_CONTENT_TYPE


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


def write_csv_bytes(run: RefundRun, handle, queryset=None, progress: Callable[[int], None] | None = None) -> int:
    """The CSV into a binary file: one COPY on PostgreSQL, the Python path elsewhere. Returns data rows."""
    if connection.vendor == "postgresql":
        return copy_csv(run, handle, queryset, progress)
    count = -1
    for count, line in enumerate(csv_lines(run, queryset)):  # noqa: B007 — the count is the point
        handle.write(line.encode("utf-8"))
        if progress and count and count % export_jobs.PROGRESS_EVERY == 0:
            progress(count)
    return count


# ------------------------------------------------------------------ the CSV in SQL (PostgreSQL COPY)


def _literal(text: str) -> str:
    """A constant of this module as an SQL string literal (no user text ever goes through here)."""
    if "%" in text:
        raise ValueError("a % would be read as a placeholder")
    return "'" + text.replace("'", "''") + "'"


_FORMULA_STARTS = ", ".join(_literal(prefix) if prefix.isprintable() else f"chr({ord(prefix)})"
                            for prefix in exports.FORMULA_PREFIXES)
# apps.core.exports.neutralise in SQL. An empty text becomes NULL, which COPY writes unquoted as Python's csv
# writes an empty string (COPY would quote an empty non-NULL text).
_NEUTRALISE = (f"CASE WHEN left(%(expressions)s, 1) IN ({_FORMULA_STARTS}) THEN {_literal(chr(39))} || "
               "%(expressions)s ELSE NULLIF(%(expressions)s, '') END")
_CODES = "array_remove(string_to_array(%(expressions)s, ';'), '')"
_BOUNDED = f"';' || replace(array_to_string({_CODES}, ';'), ';', ';;') || ';'"  # ;a;;b; — each code in its own ;…;
_LABELLED = _BOUNDED
for _code, _label in REASON_LABELS.items():  # whole codes only: an unknown code stays as it is
    _LABELLED = f"replace({_LABELLED}, {_literal(';' + _code + ';')}, {_literal(';' + _label + ';')})"
_REASON_LABELS = (f"CASE WHEN %(expressions)s = '' THEN '' "
                  f"ELSE replace(btrim({_LABELLED}, ';'), ';;', {_literal('；')}) END")
_SIZE_LABELS = ("CASE %(expressions)s " + " ".join(f"WHEN {_literal(code)} THEN {_literal(label)}"
                                                   for code, label in SIZE_LABELS.items())
                + " ELSE %(expressions)s END")
_FLAG = "CASE WHEN %(expressions)s THEN '1' ELSE '0' END"
_AS_TEXT = "(%(expressions)s)::text"
_SAME = "%(expressions)s"


def _sql(template: str, expression) -> Func:
    """Templates repeat their argument: only columns go in (a parameter would be counted once, bound thrice)."""
    return Func(expression, template=template, output_field=TextField())


class _Text(Func):
    """A text column of the file: neutralised (as every cell of the Python path is) by the outer SELECT of
    `copy_select`, so the expression itself is computed once per row."""

    output_field = TextField()


def _text(template: str, expression) -> Func:
    return _Text(expression, template=template)


def copy_select(run: RefundRun, queryset=None) -> tuple[str, list]:
    """The SELECT whose rows, as COPY's CSV, are the data lines of `export_rows`, in the same order."""
    rows = (queryset if queryset is not None else RefundResult.objects.filter(run=run)).order_by("employer_id")
    columns = {
        "c_uscc": _text(_SAME, F("employer__uscc")),
        "c_name": _text(_SAME, F("employer__name")),
        "c_decision": _sql("CASE WHEN %(expressions)s THEN 'eligible' ELSE 'ineligible' END", F("eligible")),
        "c_reasons": _text(f"array_to_string({_CODES}, ';')", F("reasons")),
        "c_size": _text(_SAME, F("size_class")),
        "c_rate": _text(_AS_TEXT, F("rate")),
        "c_paid": _text(_AS_TEXT, F("contributions_paid")),
        "c_amount": _Text(F("eligible"), F("amount"), arg_joiner=" THEN ",
                          template="(CASE WHEN %(expressions)s ELSE 0.00 END)::text"),
        "c_region": _text(_SAME, F("region_code")),
        "c_entity": _text(_SAME, F("entity_type")),
        "c_months": _sql(_AS_TEXT, F("months_paid_in_full")),
        "c_arrears": _sql(_FLAG, F("has_arrears")),
        "c_dishonesty": _sql(_FLAG, F("serious_dishonesty")),
        "c_start": _sql(_AS_TEXT, F("headcount_start")),
        "c_end": _sql(_AS_TEXT, F("headcount_end")),
        "c_versions": _text(_SAME, F("parameter_versions")),
        "c_decided": _sql("CASE WHEN %(expressions)s THEN '符合' ELSE '不符合' END", F("eligible")),
        "c_reason_labels": _text(_REASON_LABELS, F("reasons")),
        "c_size_label": _text(_SIZE_LABELS, F("size_class")),
    }
    sql, params = rows.annotate(**columns).values_list(*columns).query.sql_with_params()
    # OFFSET 0 keeps the inner SELECT a subquery (not flattened), so the guard's three references to a column
    # read its value instead of computing the expression three times; the rows keep the inner ORDER BY.
    outer = ", ".join(_NEUTRALISE % {"expressions": f"t.{name}"} if isinstance(column, _Text) else f"t.{name}"
                      for name, column in columns.items())
    return f"SELECT {outer} FROM ({sql} OFFSET 0) AS t", list(params)


COPY_BATCH = 2000  # rows joined into one write to the file


def copy_csv(run: RefundRun, handle, queryset=None, progress: Callable[[int], None] | None = None) -> int:
    """The header (the Python path's line), then every row through one COPY … TO STDOUT, into a binary file.
    COPY ends a row with \\n and sends each row as its own message; the contract's rows end with \\r\\n
    (Python's csv), so the last byte of each message is replaced — a newline inside a quoted name stays."""
    handle.write(next(exports.csv_lines([HEADER], bom=False)).encode("utf-8"))
    sql, params = copy_select(run, queryset)
    # The queryset's database: the replica inside replica_reads() (a background export), else the primary.
    source_db = connections[(queryset if queryset is not None else RefundResult.objects.all()).db]
    source_db.ensure_connection()
    count = 0
    batch: list[bytes] = []
    with source_db.connection.cursor() as cursor:  # the Django connection: the same transaction
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER false)", params) as copy:
            for data in copy:
                batch.append(bytes(data[:-1]))
                count += 1
                if len(batch) == COPY_BATCH:
                    batch.append(b"")
                    handle.write(b"\r\n".join(batch))
                    batch = []
                    if progress and count % export_jobs.PROGRESS_EVERY == 0:
                        progress(count)
    if batch:
        batch.append(b"")
        handle.write(b"\r\n".join(batch))
    return count


def write_xlsx(run: RefundRun, path, queryset=None, progress: Callable[[int], None] | None = None) -> int:
    def typed(rows):
        for count, row in enumerate(rows, start=1):
            for index in (5, 6, 7):  # money and rate as numbers in Excel (Decimal, never float)
                row[index] = Decimal(row[index]) if row[index] else None
            yield row
            if progress and count % export_jobs.PROGRESS_EVERY == 0:
                progress(count)

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


def export_check(run: RefundRun) -> None:
    if run.status in (RefundRun.Status.CREATED, RefundRun.Status.COMPUTING):
        raise ConflictError("run_not_computed", "批次尚未计算完成，不能导出")


def export_inline(rows: int, fmt: str) -> bool:
    """A CSV of at most EXPORT_INLINE_MAX_ROWS rows streams in the request; anything else is a job."""
    return fmt == "csv" and rows <= settings.EXPORT_INLINE_MAX_ROWS


def export_response(*, run: RefundRun, user, request, fmt: str) -> HttpResponseBase:
    """A small CSV in the request (the API's GET …/export/, the page's CSV button). A user sees (and
    exports) the rows of their own region only. An XLSX or a large CSV is refused (409 `export_async`):
    those are built in the background (SOURCE below; POST …/exports/)."""
    export_check(run)
    rows = result_list(user=user, run=run)
    count = rows.count()
    if not export_inline(count, fmt):
        raise ConflictError("export_async", f"XLSX 和超过 {settings.EXPORT_INLINE_MAX_ROWS} 行的 CSV 在后台生成，"
                                            "完成后下载")
    run_export_record(run=run, user=user, request=request, rows=count, fmt=fmt)
    return exports.streaming_csv(csv_lines(run, rows), filename=export_filename(run, fmt))


def _write(user, run: RefundRun, fmt: str, handle, progress) -> int:
    rows = result_list(user=user, run=run)
    if fmt == "csv":
        return write_csv_bytes(run, handle, rows, progress)
    return write_xlsx(run, handle, rows, progress)


def _recorded(user, run: RefundRun, rows: int, fmt: str) -> None:
    run_export_record(run=run, user=user, rows=rows, fmt=fmt)


# The run's background export (apps.core.export_jobs), registered in RefundsConfig.ready().
SOURCE = export_jobs.ExportSource(
    key="refund-run", label="稳岗返还结果", record=lambda user, pk: run_get(user=user, pk=pk), check=export_check,
    count=lambda user, run: result_list(user=user, run=run).count(), write=_write, recorded=_recorded,
    filename=export_filename, formats=FORMATS)
