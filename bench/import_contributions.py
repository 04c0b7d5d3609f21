"""Benchmark: a 1,000,000-row contributions file through the same import service as the UI and API.

    DATABASE_URL=postgres://… .venv/bin/python bench/import_contributions.py [--rows 1000000] [--employers 40000]

Creates the employers first (bulk, once; re-runs reuse them), writes the CSV under /tmp (never into the
repository), imports it through apps.imports.services.import_file, then imports it again (every row
unchanged) and prints rows/s, total seconds and peak RSS for each run.

Recorded on the dev machine (PostgreSQL 127.0.0.1, 40,000 employers, 1,000,000 rows, 56 MB CSV):

    first import, empty table, DEBUG on             137.9 s   7,252 rows/s   peak RSS 182 MB
    first import after deleting the previous 1M      244.7 s   4,086 rows/s   peak RSS 168 MB  (DEBUG off;
        rows (dead tuples, no VACUUM in between)
    re-import of the same file (all unchanged)       154.3 s   6,483 rows/s   peak RSS 193 MB  (DEBUG off)

Memory stays bounded: the process starts at ~64 MB; what grows is the set of 8-byte key digests (one per
row) and the uscc → employer cache (one per employer), not the rows. Validation is roughly half the time;
the write pass is INSERT … ON CONFLICT in 1,000-row statements. COPY into a staging table would be the
next step if this needs to be faster.
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

from apps.core.demo import make_uscc  # noqa: E402
from apps.employers.models import Contribution, Employer  # noqa: E402
from apps.imports.services import import_file  # noqa: E402

BENCH_SERIAL = 5_000_000  # USCC serials of bench employers; far from the demo's and the tests'
# Names of this bench's employers. Distinct from seed_benchmark's "基准测试单位N号" (the refund benchmark's):
# the clean-up below goes by this bench's own USCCs, never by a name pattern another bench might share.
NAME_PREFIX = "导入基准单位"
DELETE_BATCH = 5_000  # USCCs per DELETE (SQLite allows 32,766 parameters in one statement)
REGIONS = ["220102", "220103", "220104", "220105", "220106", "220203", "220204", "220302", "220402"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def ensure_employers(count: int) -> list[str]:
    codes = [make_uscc(REGIONS[i % len(REGIONS)], BENCH_SERIAL + i) for i in range(count)]
    known = set(Employer.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    new = [Employer(uscc=code, name=f"{NAME_PREFIX}{i}有限公司", region_id=code[2:8], industry="industry",
                    employees=20 + i % 500) for i, code in enumerate(codes) if code not in known]
    Employer.objects.bulk_create(new, batch_size=2000)
    return codes


def clear_contributions(codes: list[str]) -> int:
    """Delete the contributions of this bench's employers (by USCC) so the first import creates every row.
    Raw deletes: no per-row signals or history. Other employers' rows — the refund benchmark's — stay."""
    deleted = 0
    for start in range(0, len(codes), DELETE_BATCH):
        rows = Contribution.objects.filter(employer__uscc__in=codes[start:start + DELETE_BATCH])
        deleted += rows._raw_delete(rows.db)
    return deleted


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


def run(path: Path, label: str, rows: int) -> None:
    start = time.perf_counter()
    with path.open("rb") as handle:
        batch = import_file(kind="contributions", handle=handle, file_name=path.name, source="bench")
    seconds = time.perf_counter() - start
    print(f"{label}: status={batch.status} created={batch.rows_created} updated={batch.rows_updated} "
          f"unchanged={batch.rows_unchanged} errors={batch.error_count}")
    print(f"  {rows:,} rows in {seconds:,.1f} s = {rows / seconds:,.0f} rows/s; peak RSS so far {peak_rss_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--employers", type=int, default=40_000)
    parser.add_argument("--file", default="/tmp/bench_contributions.csv")
    args = parser.parse_args()

    from django.db import connection

    print(f"database: {connection.vendor}; rss at start {peak_rss_mb():,.0f} MB")
    start = time.perf_counter()
    codes = ensure_employers(args.employers)
    print(f"{len(codes):,} employers ready in {time.perf_counter() - start:,.1f} s")
    path = Path(args.file)
    start = time.perf_counter()
    write_file(path, codes, args.rows)
    print(f"wrote {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - start:,.1f} s")
    print(f"cleared {clear_contributions(codes):,} contribution rows of the previous run")  # a clean first run
    run(path, "first import", args.rows)
    run(path, "re-import of the same file", args.rows)


if __name__ == "__main__":
    main()
