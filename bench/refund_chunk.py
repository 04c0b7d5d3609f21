"""Where one chunk's time goes: facts statement, the two calculators, row building, COPY.

    .venv/bin/python bench/refund_chunk.py [--chunks 5] [--size 10000] [--profile]

Runs against the newest run in `portal_bench` (run `bench/refund_run.py` first). Each chunk of employer ids
is timed in phases, single process, nothing stored: the COPY goes into a temporary copy of the results
table (same columns and indexes) inside a transaction that is rolled back. `--profile` prints the top of a
cProfile of the Python part (calculators and row building) of the first chunk.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--untuned", action="store_true", help="without the chunk's SET LOCAL planner settings")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from apps.employers import refund_facts as facts
    from apps.refunds.models import RefundRun
    from apps.refunds.services import computing as compute

    run = RefundRun.objects.order_by("-pk").select_related("region").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM employers_employer")
        first = cursor.fetchone()[0]
    totals = {"facts": 0.0, "python": 0.0, "copy": 0.0}
    for n in range(args.chunks):
        lo = first + n * args.size
        hi = lo + args.size
        with transaction.atomic():
            if not args.untuned:
                compute.chunk_session_settings()
            started = time.perf_counter()
            rows = list(facts.facts_rows(id_range=(lo, hi), year=run.year, region_prefix=run.region.scope_prefix))
            t_facts = time.perf_counter() - started
        original = facts.facts_rows
        facts.facts_rows = lambda **kwargs: iter(rows)  # noqa: B023 — the rows just fetched
        try:
            profiler = cProfile.Profile() if args.profile and n == 0 else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            out = list(compute.compute_rows(run, id_range=(lo, hi)))
            if profiler:
                profiler.disable()
            t_python = time.perf_counter() - started
        finally:
            facts.facts_rows = original
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMP TABLE bench_results (LIKE refunds_refundresult INCLUDING ALL) "
                               "ON COMMIT DROP")
            started = time.perf_counter()
            compute._write_postgresql(out, table="bench_results")
            t_copy = time.perf_counter() - started
            transaction.set_rollback(True)
        totals["facts"] += t_facts
        totals["python"] += t_python
        totals["copy"] += t_copy
        print(f"chunk [{lo}, {hi}): {len(out)} rows — facts {t_facts:.3f} s, calculators+rows {t_python:.3f} s "
              f"({t_python / max(len(out), 1) * 1e6:.1f} µs/employer), COPY {t_copy:.3f} s")
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    n = args.chunks
    print(f"mean per chunk: facts {totals['facts'] / n:.3f} s, calculators+rows {totals['python'] / n:.3f} s, "
          f"COPY {totals['copy'] / n:.3f} s, total {sum(totals.values()) / n:.3f} s")


if __name__ == "__main__":
    main()
