"""Benchmark of `decisions_verify` on a 100k-employer 稳岗返还 run on PostgreSQL, beside the database's floor.

    .venv/bin/python bench/decisions_verify.py [--employers 100000] [--concurrency 2]

Seeds (bench/refund_run.py's seeding: `seed_benchmark`, N employers × 24 months) when the data set has
another size, computes one refund run with real Celery workers, then times

* `decisions_verify --kind refund --in-process` — one process, every row recomputed and fingerprinted;
* `decisions_verify --kind refund` — the chunks on a worker (prefork, --concurrency) through the broker;

and, for the same rows, the database's own floor: `COPY (SELECT every column the verifier reads) TO STDOUT`
read to the end by the client, and a plain SELECT of the same rows fetched into Python. Prints each figure
and the ratio verify ÷ floor.

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_d_verify) and CELERY_BROKER_URL
(default redis://127.0.0.1:6379/4). Never point it at a database you care about: it truncates employers.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_d_verify")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")

from bench.refund_run import (  # noqa: E402
    PYTHON,
    Worker,
    employer_count,
    manage,
    one_run,
    purge_queue,
    reseed,
    setup_django,
)

COLUMNS = ("id, run_id, employer_id, entity_type, industry, employees, revenue_10k, assets_10k, months_paid_in_full, "
           "has_arrears, serious_dishonesty, headcount_start, headcount_end, contributions_paid, size_class, eligible, "
           "reasons, rate, amount, parameter_versions, calculator_version, fingerprint")


def timed_verify(*extra: str) -> tuple[float, str, int]:
    started = time.monotonic()
    result = subprocess.run([PYTHON, str(ROOT / "manage.py"), "decisions_verify", "--kind", "refund", *extra],
                            cwd=ROOT, capture_output=True, text=True)
    return time.monotonic() - started, result.stdout.strip().splitlines()[-1], result.returncode


def floor_copy(run_id: int) -> tuple[float, int]:
    from django.db import connection

    connection.ensure_connection()
    started = time.monotonic()
    size = 0
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY (SELECT {COLUMNS} FROM refunds_refundresult WHERE run_id = {int(run_id)} "
                         "ORDER BY id) TO STDOUT") as copy:
            for block in copy:
                size += len(block)
    return time.monotonic() - started, size


def floor_select(run_id: int) -> tuple[float, int]:
    from django.db import connection

    started = time.monotonic()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM refunds_refundresult WHERE run_id = %s ORDER BY id", [run_id])
        while batch := cursor.fetchmany(5000):
            rows += len(batch)
    return time.monotonic() - started, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    manage("migrate", "--noinput")
    setup_django()
    from apps.eligibility.models import VerificationRun

    print(f"machine: {os.cpu_count()} cores; other jobs may share it — figures are noisy")
    employers, _contributions = employer_count()
    if employers != args.employers:
        print(f"seeding {args.employers} employers × {args.months} months …")
        print(f"  seed: {reseed(args.employers, args.months):.1f} s")
    computed = one_run(args.employers, args.concurrency, kill=False)
    run = computed["run"]
    print(f"refund run #{run.pk}: {run.rows_written:,} rows computed in {computed['seconds']:.1f} s ({run.status})")
    VerificationRun.objects.all().delete()

    copy_seconds, size = floor_copy(run.pk)
    select_seconds, rows = floor_select(run.pk)
    print(f"floor: COPY of the rows' columns to the client {copy_seconds:.2f} s ({size / 1e6:.0f} MB); "
          f"plain SELECT fetched into Python {select_seconds:.2f} s ({rows:,} rows)")

    here, summary, code = timed_verify("--in-process")
    print(f"decisions_verify --in-process (1 process): {here:.1f} s, {rows / here:,.0f} rows/s, exit {code}")
    print(f"  {summary}")
    purge_queue()
    worker = Worker(args.concurrency)
    time.sleep(4)  # the worker imports Django and connects to the broker
    try:
        workers, summary, code = timed_verify()
    finally:
        worker.stop()
    print(f"decisions_verify with a worker (concurrency {args.concurrency}): {workers:.1f} s, "
          f"{rows / workers:,.0f} rows/s, exit {code}")
    print(f"  {summary}")
    print(f"ratio to the floor: in-process {here / copy_seconds:.1f}× COPY, {here / select_seconds:.1f}× SELECT; "
          f"workers {workers / copy_seconds:.1f}× COPY, {workers / select_seconds:.1f}× SELECT")


if __name__ == "__main__":
    main()
