"""Load test of the big lists: N concurrent clients for a bounded time, p50/p95/p99 per endpoint, beside the
floor — the same page query run directly by PostgreSQL (EXPLAIN ANALYZE, same run, same data).

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE portal_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/lists_load.py --seed --employers 100000 --seconds 20 --clients 20

Without `--url` it starts gunicorn itself (2 sync workers on a free loopback port, the same DATABASE_URL,
the cache on Redis at CACHE_URL — default redis://127.0.0.1:6379/7 — so the throttle counts once for both
workers) and stops it at the end. `--seed` first fills an empty database with the data generators that
exist: `seed_benchmark` (N employers × 24 months of contributions), one `refund_run` over them (N results),
and bench/registry_lists.py's people (N people); a database that has them is reused as it is.

Endpoints: each list's page 1 and a deep page — the UI and the API by page number (`?page=`, OFFSET) and
the API by cursor (`?cursor=` positioned at the same depth). Each client thread keeps one HTTP/1.1
connection and cycles through the endpoints until the time is up. Before the load, each endpoint is also
timed alone (median of 5 sequential requests). The floor is the page query itself (captured from the
same request made in-process), EXPLAIN (ANALYZE) planning + execution time, median of 5; the ratios are
the endpoint's p95 and its alone time over that floor. Nothing is asserted: read the table.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every SQL statement in memory: not what we measure
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("API_THROTTLE_USER", "10000000/minute")  # one integration account makes every request
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/7")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.accounts.services import api_token_issue  # noqa: E402
from apps.applicants.models import Person  # noqa: E402
from apps.core.api.pagination import KeysetOrder, encode_cursor  # noqa: E402
from apps.employers.models import Contribution, Employer  # noqa: E402
from apps.refunds.models import RefundResult, RefundRun  # noqa: E402

PAGE_SIZE = 50
DEEP_ROWS = 250_000  # the issue's "page 5000" of 50 rows, or 90 % of a shorter list
YEAR = 2025


def seed(count: int) -> None:
    call_command("migrate", verbosity=0)
    if not Employer.objects.filter(uscc__startswith="B").exists():
        call_command("seed_benchmark", employers=count, months=24, year=YEAR)
    if not RefundRun.objects.filter(year=YEAR, status=RefundRun.Status.COMPUTED).exists():
        call_command("refund_run", year=YEAR)  # in-process chunks unless CELERY_BROKER_URL names a worker
    if Person.objects.count() < count:
        import registry_lists  # noqa: PLC0415 — bench/ is on sys.path only when run as a script

        registry_lists.seed_people(count)
    with connection.cursor() as cursor:
        for table in ("employers_employer", "employers_contribution", "applicants_person", "refunds_refundresult"):
            cursor.execute(f"ANALYZE {table}")


def accounts() -> tuple[str, str]:
    """(API token key, UI session id): an integration account and a caseworker, both province-wide."""
    api_user, _ = User.objects.get_or_create(username="bench_lists_api",
                                             defaults={"role": User.Role.INTEGRATION, "region_id": "220000"})
    ui_user, _ = User.objects.get_or_create(username="bench_lists_ui",
                                            defaults={"role": User.Role.CASEWORKER, "region_id": "220000"})
    _, key = api_token_issue(user=api_user, name="lists_load bench")
    client = Client()
    client.force_login(ui_user)
    return key, client.cookies[settings.SESSION_COOKIE_NAME].value


def deep_cursor(queryset, rows: int) -> str:
    order = KeysetOrder.of(queryset)
    row = queryset.order_by(*order.order_by(False))[rows - 1]
    return encode_cursor(order, order.values(row), False)


def endpoints() -> list[tuple[str, str, str, str]]:
    """(label, kind ui|api, path, table) for each list: page 1, a deep page by number, a deep page by cursor."""
    run = RefundRun.objects.filter(year=YEAR, status=RefundRun.Status.COMPUTED).order_by("-id").first()
    lists = [
        ("employers", "/employers/", "/api/v1/employers/", Employer.objects.order_by("-id")),
        ("people", "/applicants/", "/api/v1/applicants/", Person.objects.order_by("-id")),
        ("contributions", None, "/api/v1/contributions/", Contribution.objects.order_by("-period", "employer_id")),
    ]
    if run:
        lists.append(("run results", f"/refunds/{run.pk}/", f"/api/v1/refund-runs/{run.pk}/results/",
                      RefundResult.objects.filter(run=run).order_by("employer_id")))
    found = []
    for name, ui, api, queryset in lists:
        total = queryset.count()
        depth = min(DEEP_ROWS, total * 9 // 10)
        page = depth // PAGE_SIZE
        table = queryset.model._meta.db_table
        if ui:
            found += [(f"{name} UI p1", "ui", ui, table), (f"{name} UI p{page}", "ui", f"{ui}?page={page}", table)]
        found += [(f"{name} API p1", "api", f"{api}?page_size={PAGE_SIZE}", table),
                  (f"{name} API p{page}", "api", f"{api}?page_size={PAGE_SIZE}&page={page}", table),
                  (f"{name} API cursor@{depth}", "api",
                   f"{api}?page_size={PAGE_SIZE}&cursor={deep_cursor(queryset, depth)}", table)]
    return found


def headers(kind: str, key: str, session: str) -> dict:
    if kind == "api":
        return {"Authorization": f"Token {key}", "Accept": "application/json"}
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}


def floor_ms(kind: str, path: str, table: str, key: str, session: str) -> float | None:
    """The page query of this request (the last SELECT … FROM table … ORDER BY … LIMIT), run by EXPLAIN
    ANALYZE: planning + execution, median of 5, in ms."""
    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Token {key}"} if kind == "api" else {}
    if kind == "ui":
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    if response.status_code != 200:
        return None
    pages = [q["sql"] for q in captured.captured_queries if " ORDER BY " in q["sql"] and " LIMIT " in q["sql"]
             and f' FROM "{table}" ' in q["sql"] and q["sql"].startswith("SELECT")]
    if not pages:
        return None
    sql = pages[-1]
    times = []
    with connection.cursor() as cursor:
        for _ in range(5):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            times.append(plan["Planning Time"] + plan["Execution Time"])
    return statistics.median(times)


def request(conn: http.client.HTTPConnection, path: str, head: dict) -> tuple[float, int]:
    started = time.perf_counter()
    conn.request("GET", path, headers=head)
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def alone_ms(base: str, path: str, head: dict) -> tuple[float, int]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    request(conn, path, head)  # warm: connection, worker, caches
    timings = [request(conn, path, head) for _ in range(5)]
    conn.close()
    return statistics.median(t for t, _ in timings), timings[-1][1]


def load(base: str, targets: list[tuple[str, str, dict]], clients: int, seconds: float) -> dict[str, list]:
    parts = urlsplit(base)
    results: dict[str, list] = {label: [] for label, _, _ in targets}
    errors: dict[str, int] = {label: 0 for label, _, _ in targets}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        index = offset
        while time.monotonic() < stop_at:
            label, path, head = targets[index % len(targets)]
            index += 1
            try:
                ms, status = request(conn, path, head)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                with lock:
                    errors[label] += 1
                continue
            with lock:
                if status == 200:
                    results[label].append(ms)
                else:
                    errors[label] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {label: [results[label], errors[label]] for label in results}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def start_gunicorn(workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    process = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind",
                                f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
            return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running portal (default: start gunicorn on a loopback port)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", action="store_true", help="fill an empty database first")
    parser.add_argument("--employers", type=int, default=100_000, help="with --seed: employers (and people)")
    parser.add_argument("--only", default="", help="only endpoints whose label contains this")
    parser.add_argument("--exclude", default="", help="comma-separated: leave out endpoints whose label "
                                                       "contains one (e.g. 'API p1800,API p5000')")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit("lists_load needs PostgreSQL (DATABASE_URL): the floor is EXPLAIN ANALYZE")
    if args.seed:
        seed(args.employers)
    key, session = accounts()
    excluded = [word for word in args.exclude.split(",") if word]
    found = [e for e in endpoints() if args.only in e[0] and not any(word in e[0] for word in excluded)]
    print(f"database {connection.settings_dict['NAME']}: {Employer.objects.count():,} employers, "
          f"{Person.objects.count():,} people, ~{Contribution.objects.order_by().count():,} contributions, "
          f"{RefundResult.objects.count():,} refund results")
    process = None
    base = args.url
    if not base:
        process, base = start_gunicorn(args.workers)
    try:
        floors = {label: floor_ms(kind, path, table, key, session) for label, kind, path, table in found}
        targets = [(label, path, headers(kind, key, session)) for label, kind, path, _ in found]
        alone = {label: alone_ms(base, path, head) for label, path, head in targets}
        print(f"{args.clients} clients for {args.seconds:.0f} s against {base} "
              f"({args.workers} gunicorn workers{'' if args.url else ', started here'}); ms\n")
        measured = load(base, targets, args.clients, args.seconds)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
    print("| endpoint | requests | errors | p50 | p95 | p99 | alone | floor | p95 / floor | alone / floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, _, _ in targets:
        times, errors = measured[label]
        floor = floors[label]
        alone_time, status = alone[label]
        p95 = percentile(times, 0.95)
        floor_text = f"{floor:,.2f}" if floor else "—"
        ratios = f"{p95 / floor:,.0f}× | {alone_time / floor:,.0f}×" if floor else "— | —"
        note = "" if status == 200 else f" (HTTP {status})"
        print(f"| {label}{note} | {len(times)} | {errors} | {percentile(times, 0.5):,.1f} | {p95:,.1f} | "
              f"{percentile(times, 0.99):,.1f} | {alone_time:,.1f} | {floor_text} | {ratios} |")
    total = sum(len(times) for times, _ in measured.values())
    print(f"\n{total:,} requests in {args.seconds:.0f} s = {total / args.seconds:,.0f} requests/s")


if __name__ == "__main__":
    main()
