"""Benchmark of a refund run's export on PostgreSQL: the CSV service path beside a bare COPY, and the XLSX.

    .venv/bin/python bench/exports.py [--employers 100000] [--python] [--openpyxl]

Seeds the database with `seed_benchmark` (bench/refund_run.py's helpers) when it holds another number of
employers, and computes one refund run with a real Celery worker when none is computed. Then, in the same
process and run, prints:

- CSV (service path): `apps.refunds.exports.write_csv_bytes` of every row of the run into /dev/null — on
  PostgreSQL one COPY with the labels, money text and CSV-injection guard in SQL;
- COPY (bare): `COPY (SELECT <the 16 stored columns> … ORDER BY employer_id) TO STDOUT (FORMAT csv)` of the
  same rows into /dev/null — what the database alone costs — and the ratio of the two (target ≤ 2×);
- `--python`: the Python path (values_list → csv.writer) for comparison;
- XLSX: `write_xlsx` (apps.core.exports.xlsx_stream, the sheet's XML streamed into the ZIP) into a temporary file, in a child process so its peak RSS
  is its own; `--openpyxl` also times the previous writer (openpyxl write-only) on the same rows.

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench) and CELERY_BROKER_URL (default
redis://127.0.0.1:6379/3). Never point it at a database you care about: seeding truncates employers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from refund_run import PYTHON, ROOT, Worker, employer_count, manage, reseed, setup_django  # noqa: E402

BARE = """COPY (SELECT e.uscc, e.name, r.eligible, r.reasons, r.size_class, r.rate, r.contributions_paid, r.amount,
    r.region_code, r.entity_type, r.months_paid_in_full, r.has_arrears, r.serious_dishonesty, r.headcount_start,
    r.headcount_end, r.parameter_versions
    FROM refunds_refundresult r JOIN employers_employer e ON e.id = r.employer_id
    WHERE r.run_id = %s ORDER BY r.employer_id) TO STDOUT WITH (FORMAT csv)"""


def computed_run():
    from apps.refunds.models import RefundRun

    run = RefundRun.objects.filter(status=RefundRun.Status.COMPUTED, year=2025).order_by("-id").first()
    if run is not None and run.results.count() == employer_count()[0]:
        return run
    worker = Worker(2)
    time.sleep(4)  # the worker imports Django and connects to the broker
    try:
        out = manage("refund_run", "--year", "2025")
    finally:
        worker.stop()
    return RefundRun.objects.get(pk=int(out.strip().splitlines()[-1]))


def timed(function) -> tuple[float, int]:
    started = time.perf_counter()
    rows = function()
    return time.perf_counter() - started, rows


def bare_copy(run) -> int:
    from django.db import connection

    connection.ensure_connection()
    rows = 0
    with open(os.devnull, "wb") as sink, connection.connection.cursor() as cursor:
        with cursor.copy(BARE, [run.pk]) as copy:
            for data in copy:
                sink.write(data)
                rows += 1
    return rows


def service_csv(run) -> int:
    from apps.refunds import exports

    with open(os.devnull, "wb") as sink:
        return exports.write_csv_bytes(run, sink)


def python_csv(run) -> int:
    from apps.refunds import exports

    with open(os.devnull, "w", encoding="utf-8") as sink:
        return exports.write_csv(run, sink)


def xlsx_child(run_id: int, writer: str) -> None:
    """In a child process: write the sheet, print seconds, rows, bytes and this process's peak RSS."""
    from apps.refunds import exports
    from apps.refunds.models import RefundRun

    run = RefundRun.objects.get(pk=run_id)
    with tempfile.TemporaryFile() as handle:
        if writer == "openpyxl":
            seconds, rows = timed(lambda: _openpyxl(run, handle))
        else:
            seconds, rows = timed(lambda: exports.write_xlsx(run, handle))
        size = handle.tell()
    print(json.dumps({"seconds": seconds, "rows": rows, "bytes": size,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _openpyxl(run, handle) -> int:
    """The writer apps.core.exports used before (openpyxl write-only, typed cells), for comparison."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from apps.core.exports import MONEY_FORMAT, safe_row
    from apps.refunds.exports import HEADER, export_rows

    book = Workbook(write_only=True)
    sheet = book.create_sheet("稳岗返还")
    sheet.append(HEADER)
    count = 0
    for row in export_rows(run):
        for index in (5, 6, 7):
            row[index] = Decimal(row[index]) if row[index] else None
        cells = []
        for value in safe_row(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(handle)
    return count


def xlsx(run, writer: str) -> dict:
    out = subprocess.run([PYTHON, __file__, "--xlsx-child", str(run.pk), writer], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--python", action="store_true", help="also time the Python CSV path")
    parser.add_argument("--openpyxl", action="store_true", help="also time the previous XLSX writer")
    parser.add_argument("--xlsx-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.xlsx_child:
        xlsx_child(int(args.xlsx_child[0]), args.xlsx_child[1])
        return
    if employer_count()[0] != args.employers:
        print(f"seeded {args.employers} employers in {reseed(args.employers, args.months):.1f} s")
    run = computed_run()
    print(f"run #{run.pk}: {run.results.count():,} rows")
    bare, bare_rows = timed(lambda: bare_copy(run))
    csv_seconds, csv_rows = timed(lambda: service_csv(run))
    bare_again, _ = timed(lambda: bare_copy(run))  # the cache is warm for both: take the better bare figure
    bare = min(bare, bare_again)
    assert csv_rows == bare_rows, (csv_rows, bare_rows)
    print(f"CSV service path  {csv_seconds:6.2f} s")
    print(f"COPY (bare)       {bare:6.2f} s   ratio {csv_seconds / bare:.2f}×")
    if args.python:
        python_seconds, _ = timed(lambda: python_csv(run))
        print(f"CSV Python path   {python_seconds:6.2f} s   ratio {python_seconds / bare:.2f}×")
    for writer in ("stream", *(["openpyxl"] if args.openpyxl else [])):
        result = xlsx(run, writer)
        print(f"XLSX {writer:<12} {result['seconds']:6.2f} s   {result['bytes'] / 1e6:.1f} MB   "
              f"peak RSS {result['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
