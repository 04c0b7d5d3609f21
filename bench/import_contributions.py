"""Benchmark: a contributions file through the same import service as the UI and API, beside the database's floor.

    DATABASE_URL=postgres://…/portal_imports_bench .venv/bin/python bench/import_contributions.py \
        [--rows 100000] [--employers 40000] [--drop]

Creates the employers first (bulk, once; re-runs reuse them), writes the CSV under /tmp (never into the
repository), clears the previous run's contributions of these employers, then in one run:

- first import: apps.imports.services.import_file (every row new), its seconds and the process's peak RSS;
- floor: COPY of the same file into a staging table + one INSERT … SELECT … ON CONFLICT DO UPDATE into a copy
  of the contributions table (same indexes, checks and foreign key; created empty);
- re-import of the same file (every row unchanged) through the service;
- floor: COPY again + INSERT … ON CONFLICT DO UPDATE … WHERE (…) IS DISTINCT FROM (…) into the filled copy;
- the two ratios (service ÷ floor).

This bench's employers carry BENCH_MARKER in their address (and USCC serials from BENCH_SERIAL): the clean-up
goes by that marker, never by a name pattern — bench/refund_run.py's seed_benchmark employers ("基准测试单位N号")
and anyone else's are never touched. `--drop` deletes this bench's employers (and their contributions) at the end.
Figures: bench/README.md.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every SQL statement in memory: not what we measure

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from apps.core.demo import make_uscc  # noqa: E402
from apps.employers.models import Contribution, Employer  # noqa: E402
from apps.imports.services import import_file  # noqa: E402

BENCH_SERIAL = 5_000_000  # USCC serials of bench employers; far from the demo's and the tests'
NAME_PREFIX = "导入基准单位"
# The mark of this bench's employers (their address, which nothing else writes so): the clean-up goes by it and by
# the USCCs, never by a name pattern another bench might share (seed_benchmark's "基准测试单位N号").
BENCH_MARKER = "bench/import_contributions.py"
FLOOR_TABLE = "bench_floor_contribution"
DELETE_BATCH = 5_000  # USCCs per DELETE (SQLite allows 32,766 parameters in one statement)
REGIONS = ["220102", "220103", "220104", "220105", "220106", "220203", "220204", "220302", "220402"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def ensure_employers(count: int) -> list[str]:
    codes = [make_uscc(REGIONS[i % len(REGIONS)], BENCH_SERIAL + i) for i in range(count)]
    known = set(Employer.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    new = [Employer(uscc=code, name=f"{NAME_PREFIX}{i}有限公司", region_id=code[2:8], industry="industry",
                    employees=20 + i % 500, address=BENCH_MARKER) for i, code in enumerate(codes) if code not in known]
    Employer.objects.bulk_create(new, batch_size=2000)
    return codes


def clear_contributions(codes: list[str]) -> int:
    """Delete the contributions of this bench's employers (by USCC) so the first import creates every row.
    Raw deletes: no per-row signals or history. Other employers' rows — the refund benchmark's — stay."""
    deleted = 0
    for start in range(0, len(codes), DELETE_BATCH):
        rows = Contribution.objects.filter(employer__uscc__in=codes[start:start + DELETE_BATCH],
                                           employer__address=BENCH_MARKER)
        deleted += rows._raw_delete(rows.db)
    return deleted


def drop_employers() -> int:
    """Delete this bench's employers — those carrying BENCH_MARKER — and their contributions; the number deleted."""
    mine = Employer.objects.filter(address=BENCH_MARKER)
    rows = Contribution.objects.filter(employer__in=mine)
    rows._raw_delete(rows.db)
    mine = Employer.objects.filter(address=BENCH_MARKER)
    return mine._raw_delete(mine.db)


def write_file(path: Path, codes: list[str], rows: int) -> None:
    months = max(1, -(-rows // len(codes)))  # ceil: ~25 months for 1M rows over 40k employers
    periods = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("uscc,period,insured_headcount,amount_due,paid_employer,paid_employee,late_fee\n")
        for period in periods:
            for index, code in enumerate(codes):
                if written == rows:
                    return
                headcount = 5 + index % 300
                due = headcount * 52  # yuan, whole numbers keep the arithmetic exact without floats
                late = "" if index % 50 else "12.30"
                out.write(f"{code},{period},{headcount},{due}.00,{due * 7 // 10}.00,{due - due * 7 // 10}.00,{late}\n")
                written += 1


def run(path: Path, label: str, rows: int) -> float:
    start = time.perf_counter()
    with path.open("rb") as handle:
        batch = import_file(kind="contributions", handle=handle, file_name=path.name, source="command")  # no web limits
    seconds = time.perf_counter() - start
    print(f"{label}: status={batch.status} created={batch.rows_created} updated={batch.rows_updated} "
          f"unchanged={batch.rows_unchanged} errors={batch.error_count}")
    print(f"  {rows:,} rows in {seconds:,.1f} s = {rows / seconds:,.0f} rows/s; peak RSS so far {peak_rss_mb():,.0f} MB")
    return seconds


FIELDS = ("insured_headcount", "amount_due", "paid_employer", "paid_employee", "late_fee")


def floor(path: Path, *, distinct: bool) -> float:
    """COPY the file into a staging table + one INSERT … ON CONFLICT into FLOOR_TABLE: the database's share of an
    import, nothing checked. `distinct`: only rows that differ are updated (the re-import's floor)."""
    assign = ", ".join(f"{name} = EXCLUDED.{name}" for name in (*FIELDS, "import_batch_id"))
    where = (f" WHERE ({', '.join(f'c.{n}' for n in FIELDS)}) IS DISTINCT FROM "
             f"({', '.join(f'EXCLUDED.{n}' for n in FIELDS)})") if distinct else ""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_floor_stage (uscc text, period text, insured_headcount text, "
                       "amount_due text, paid_employer text, paid_employee text, late_fee text) ON COMMIT DROP")
        with connection.connection.cursor() as raw, raw.copy(
                "COPY bench_floor_stage FROM STDIN (FORMAT csv, HEADER true)") as copy, path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                copy.write(block)
        cursor.execute(f"""
            INSERT INTO {FLOOR_TABLE} AS c (employer_id, period, {', '.join(FIELDS)})
            SELECT e.id, (s.period || '-01')::date, s.insured_headcount::integer, s.amount_due::numeric,
                   s.paid_employer::numeric, s.paid_employee::numeric, COALESCE(s.late_fee::numeric, 0)
            FROM bench_floor_stage s JOIN employers_employer e ON e.uscc = s.uscc
            ON CONFLICT (employer_id, period) DO UPDATE SET {assign}{where}""")
    return time.perf_counter() - start


def create_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE employers_contribution INCLUDING ALL)")
        cursor.execute(f"ALTER TABLE {FLOOR_TABLE} ADD FOREIGN KEY (employer_id) REFERENCES employers_employer (id) "
                       "DEFERRABLE INITIALLY DEFERRED")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--employers", type=int, default=40_000)
    parser.add_argument("--file", default="/tmp/bench_contributions.csv")
    parser.add_argument("--drop", action="store_true", help="delete this bench's employers at the end")
    args = parser.parse_args()

    print(f"database: {connection.vendor}; rss at start {peak_rss_mb():,.0f} MB")
    start = time.perf_counter()
    codes = ensure_employers(args.employers)
    print(f"{len(codes):,} employers ready in {time.perf_counter() - start:,.1f} s")
    path = Path(args.file)
    start = time.perf_counter()
    write_file(path, codes, args.rows)
    print(f"wrote {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - start:,.1f} s")
    print(f"cleared {clear_contributions(codes):,} contribution rows of the previous run")  # a clean first run
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE employers_contribution")  # the cleared rows' dead tuples: not measured
        create_floor_table()
    first = run(path, "first import", args.rows)
    if connection.vendor == "postgresql":
        first_floor = floor(path, distinct=False)
        print(f"  floor (COPY + INSERT … ON CONFLICT): {first_floor:,.1f} s → ratio {first / first_floor:,.2f}×")
    again = run(path, "re-import of the same file", args.rows)
    if connection.vendor == "postgresql":
        again_floor = floor(path, distinct=True)
        print(f"  floor (COPY + ON CONFLICT … WHERE IS DISTINCT FROM): {again_floor:,.1f} s → "
              f"ratio {again / again_floor:,.2f}×")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    if args.drop:
        print(f"dropped {drop_employers():,} employers of this bench")


if __name__ == "__main__":
    main()
