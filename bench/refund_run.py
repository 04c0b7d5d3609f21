"""Benchmark of a full 稳岗返还 run on PostgreSQL with real Celery workers.

    .venv/bin/python bench/refund_run.py --employers 100000 1000000 [--concurrency 2] [--kill]

For each size: (re)seeds `portal_bench` with `seed_benchmark` (N employers × 24 months) when the data set
has another size, starts a worker (prefork, --concurrency), runs `manage.py refund_run --year 2025` and
prints employers/s, total seconds and the peak RSS of every worker process (sampled from /proc every
0.2 s, plus each pool process's own high-water mark). `--kill` SIGKILLs a pool process in the middle of the
run and checks the run still completes with one row per employer and the same totals as a clean run.
`--floor` also times one GROUP BY over the contributions (the facts alone, no rule, no write) for scale.

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench) and CELERY_BROKER_URL
(default redis://127.0.0.1:6379/3). Never point it at a database you care about: it truncates employers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "0")  # no query log in the workers
PYTHON = sys.executable


def manage(*args: str, capture: bool = True) -> str:
    result = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], capture_output=capture, text=True, check=True,
                            cwd=ROOT)
    return result.stdout if capture else ""


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


class Worker:
    def __init__(self, concurrency: int):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING", "--pool=prefork",
             f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"bench-{os.getpid()}@%h"], cwd=ROOT, stderr=subprocess.DEVNULL)
        self.peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            for pid in [self.process.pid, *children(self.process.pid)]:
                self.peak[pid] = max(self.peak.get(pid, 0), rss_kb(pid), rss_kb(pid, "VmHWM"))
            time.sleep(0.2)

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def setup_django():
    import django

    django.setup()


def employer_count() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM employers_employer")
        employers = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'employers_contribution'")
        contributions = cursor.fetchone()[0]
    return employers, contributions


def reseed(n: int, months: int) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE refunds_refundresult, refunds_refundchunk, refunds_historicalrefundrun, "
                       "refunds_refundrun, employers_historicalcontribution, employers_contribution, "
                       "employers_historicalemployer, employers_employer CASCADE")
    started = time.monotonic()
    print(manage("seed_benchmark", "--employers", str(n), "--months", str(months)).strip())
    return time.monotonic() - started


def clear_runs():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE refunds_refundresult, refunds_refundchunk, refunds_historicalrefundrun, "
                       "refunds_refundrun CASCADE")
        cursor.execute("VACUUM ANALYZE refunds_refundresult")


def purge_queue():
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def floor_seconds() -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("""CREATE TEMP TABLE floor_facts AS
            SELECT employer_id,
                   BIT_OR(CASE WHEN paid_employer + paid_employee >= amount_due THEN 1::bigint <<
                          (24299 - (EXTRACT(YEAR FROM period)::int * 12 + EXTRACT(MONTH FROM period)::int)) END) m,
                   BOOL_OR(paid_employer + paid_employee < amount_due) a,
                   MAX(CASE WHEN period = '2024-01-01' THEN insured_headcount END) s,
                   MAX(CASE WHEN period = '2024-12-01' THEN insured_headcount END) e,
                   SUM(CASE WHEN period >= '2024-01-01' THEN paid_employer + paid_employee ELSE 0 END) p
            FROM employers_contribution WHERE period <= '2024-12-01' GROUP BY employer_id""")
        cursor.execute("DROP TABLE floor_facts")
    return time.monotonic() - started


def one_run(n: int, concurrency: int, kill: bool) -> dict:
    from apps.refunds.models import RefundChunk, RefundRun

    clear_runs()
    purge_queue()
    worker = Worker(concurrency)
    time.sleep(4)  # the worker imports Django and connects to the broker
    started = time.monotonic()
    command = subprocess.Popen([PYTHON, str(ROOT / "manage.py"), "refund_run", "--year", "2025"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    killed = None
    if kill:
        while time.monotonic() - started < 600:
            done = RefundChunk.objects.filter(status="done").count()
            pools = set(children(worker.process.pid))
            busy = [int(w.rsplit(":", 1)[1]) for w in RefundChunk.objects.filter(status="running")
                    .values_list("worker", flat=True) if w]
            busy = [pid for pid in busy if pid in pools]
            if busy and done >= 3:
                killed = busy[0]  # a pool process in the middle of a chunk
                os.kill(killed, signal.SIGKILL)
                break
            time.sleep(0.05)
    out, _ = command.communicate()
    elapsed = time.monotonic() - started
    worker.stop()
    run = RefundRun.objects.get(pk=int(out.strip().splitlines()[-1]))
    chunks = RefundChunk.objects.filter(run=run)
    return {"n": n, "seconds": elapsed, "run": run, "peak_kb": worker.peak, "killed": killed,
            "redone": chunks.filter(attempts__gt=1).count(), "chunks": chunks.count(), "summary": out}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--kill", action="store_true", help="SIGKILL a pool process mid-run (and compare)")
    parser.add_argument("--floor", action="store_true", help="also time one GROUP BY over the contributions")
    args = parser.parse_args()
    manage("migrate", "--noinput", capture=True)
    setup_django()
    print(f"machine: {os.cpu_count()} cores; other jobs may share it — figures are noisy")
    for n in args.employers:
        employers, contributions = employer_count()
        if employers != n:
            print(f"seeding {n} employers × {args.months} months …")
            print(f"  seed: {reseed(n, args.months):.1f} s")
            employers, contributions = employer_count()
        if args.floor:
            print(f"  floor (facts GROUP BY only, one statement): {floor_seconds():.1f} s")
        result = one_run(n, args.concurrency, kill=False)
        report(result, contributions)
        if args.kill:
            clean = result["run"]
            killed = one_run(n, args.concurrency, kill=True)
            report(killed, contributions)
            same = (killed["run"].rows_written, killed["run"].eligible_count, killed["run"].total_amount) == (
                clean.rows_written, clean.eligible_count, clean.total_amount)
            print(f"  after SIGKILL of pool process {killed['killed']}: status {killed['run'].status}, "
                  f"{killed['redone']} chunk(s) redone, totals identical to the clean run: {same}")


def report(result: dict, contributions: int):
    run = result["run"]
    peak_mb = max(result["peak_kb"].values(), default=0) / 1024
    per_process = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(result["peak_kb"].values(), reverse=True))
    print(f"{result['n']:>9,} employers / ~{contributions:,} contribution rows: {result['seconds']:.1f} s, "
          f"{result['n'] / result['seconds']:,.0f} employers/s, peak worker RSS {peak_mb:.0f} MB "
          f"(per process MB: {per_process}); status {run.status}, {run.rows_written:,} rows, "
          f"{run.eligible_count:,} eligible, total {run.total_amount:,} 元, {result['chunks']} chunks"
          + (" [SIGKILL]" if result["killed"] else ""))


if __name__ == "__main__":
    main()
