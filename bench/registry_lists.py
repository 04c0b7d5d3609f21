"""Benchmark: the people and employer lists (UI and API) at 1,000,000 people and 200,000 employers.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE portal_lists"
    .venv/bin/python bench/registry_lists.py [--people 1000000] [--employers 200000] [--runs 5]

Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_lists), migrates it, and seeds it once
with COPY (re-runs reuse the rows): people with valid ID numbers spread over Jilin's 60 counties (南关区
220102 holds ~6.6 %, so a county caseworker has a deep page 500 too), employers with valid USCCs. Then it
requests each list through the Django test Client, logged in as a province user (220000) and as a county
caseworker (220102), and prints the median wall time of `--runs` requests and the queries per request.
Nothing is asserted: the figures are read and recorded in bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_lists")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every SQL statement in memory: not what we measure
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("API_THROTTLE_USER", "1000000/minute")  # the bench is one user making many requests

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.applicants.models import Person, person_id_fields  # noqa: E402
from apps.core.demo import make_id_number, make_uscc, person_name  # noqa: E402
from apps.core.models import Region  # noqa: E402
from apps.employers.models import Employer  # noqa: E402

BENCH_SERIAL = 7_000_000  # USCC serials of bench employers; far from the demo's, the tests' and import bench's
BIRTH_DAYS = 21_900  # birth dates spread over 60 years
COUNTY = "220102"  # 南关区: the county caseworker's region
COPY_BATCH = 50_000


def counties() -> list[str]:
    return list(Region.objects.filter(level=Region.Level.COUNTY, code__startswith="22").values_list("code", flat=True))


def region_of(i: int, codes: list[str]) -> str:
    return COUNTY if i % 20 == 0 else codes[i % len(codes)]


def copy_rows(table: str, columns: list[str], rows) -> None:
    """COPY an iterator of tuples in batches: bounded memory, one statement per batch."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    batch: list[tuple] = []

    def flush():
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in batch:
                copy.write_row(row)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) == COPY_BATCH:
            flush()
    if batch:
        flush()


def seed_people(count: int) -> None:
    have = Person.objects.count()
    if have >= count:
        print(f"people: {have:,} already there")
        return
    codes, rng, now = counties(), random.Random(20260101), timezone.now()
    start, born = time.perf_counter(), date(1955, 1, 1)

    def rows():
        for i in range(have, count):
            # (birth day, sequence) is unique per i, so ID numbers are unique whatever birthplace they fall back
            # to; the sequence (hence the last four) is spread over 000-999 and not correlated with the row id
            day, rank = i % BIRTH_DAYS, i // BIRTH_DAYS
            birth = born + timedelta(days=day * 7919 % BIRTH_DAYS)
            female = (day + rank) % 2 == 0
            region = region_of(i, codes)
            derived = person_id_fields(make_id_number(region, birth, (rank + 7 * day) % 500, female))
            yield (now, now, derived["id_number"], derived["id_last4"], person_name(rng), derived["birth_date"],
                   derived["sex"], derived["birthplace_code"], derived["birthplace_known"], f"139{i:08d}",
                   ("urban", "rural")[i % 3 == 0], region, "")

    copy_rows("applicants_person", ["created_at", "updated_at", "id_number", "id_last4", "name", "birth_date", "sex",
                                    "birthplace_code", "birthplace_known", "phone", "hukou_type", "region_id",
                                    "address"], rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applicants_person")
    print(f"people: {count - have:,} created in {time.perf_counter() - start:.1f} s")


def seed_employers(count: int) -> None:
    have = Employer.objects.filter(uscc__contains=f"MA{BENCH_SERIAL // 1_000_000}").count()
    if have >= count:
        print(f"employers: {have:,} already there")
        return
    codes, now, start = counties(), timezone.now(), time.perf_counter()
    types, industries = Employer.EntityType.values, Employer.Industry.values
    words = ["长白山", "松花江", "吉顺", "汇通", "东北", "北方", "华信", "鼎盛", "恒达", "金桥", "宏远", "瑞丰"]

    def rows():
        for i in range(have, count):
            region = region_of(i, codes)
            yield (now, now, make_uscc(region, BENCH_SERIAL + i), f"{words[i % 12]}{i}号有限公司",
                   types[0] if i % 4 else types[i // 4 % len(types)], industries[i % len(industries)],
                   5 + i * 37 % 900, i % 97 == 0, "", "", "", "", region)

    copy_rows("employers_employer", ["created_at", "updated_at", "uscc", "name", "entity_type", "industry",
                                     "employees", "serious_dishonesty", "dishonesty_source", "contact_name",
                                     "contact_phone", "address", "region_id"], rows())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE employers_employer")
    print(f"employers: {count - have:,} created in {time.perf_counter() - start:.1f} s")


def user(username: str, region: str, role: str) -> User:
    found, _ = User.objects.get_or_create(username=username, defaults={"region_id": region, "role": role})
    return found


def cases() -> list[tuple[str, str, dict]]:
    """(label, list, query) — the same query for the UI list and the API list."""
    sample = Person.objects.filter(region_id=COUNTY).order_by("id").values_list("id_number", "name")[1000]
    id_number, name = sample
    uscc = Employer.objects.filter(region_id=COUNTY).order_by("id").values_list("uscc", flat=True)[500]
    return [
        ("people page 1", "applicants", {}),
        ("people page 500", "applicants", {"page": 500}),
        ("people full ID", "applicants", {"q": id_number}),
        ("people masked ID", "applicants", {"q": f"{id_number[:4]}{'*' * 10}{id_number[-4:]}"}),
        ("people last four", "applicants", {"q": id_number[-4:]}),
        ("people name prefix", "applicants", {"q": name[:2]}),
        ("people sex=F", "applicants", {"sex": "F"}),
        ("people sort -birth_date", "applicants", {"ordering": "-birth_date"}),
        ("people sort name, page 500", "applicants", {"ordering": "name", "page": 500}),
        ("employers page 1", "employers", {}),
        ("employers page 500", "employers", {"page": 500}),
        ("employers USCC", "employers", {"q": uscc}),
        ("employers name prefix", "employers", {"q": "松花江1"}),
        ("employers entity_type", "employers", {"entity_type": "foundation"}),
        ("employers sort -employees", "employers", {"ordering": "-employees"}),
    ]


def measure(client: Client, url: str, query: dict, runs: int) -> tuple[float, int, int, str]:
    client.get(url, query)  # warm: session, user, caches
    times, queries, status, total = [], 0, 0, ""
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
        if url.startswith("/api/") and status == 200:
            total = str(response.json().get("count"))
    return statistics.median(times), queries, status, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--employers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="run only cases whose label contains this")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    seed_people(args.people)
    seed_employers(args.employers)
    users = {"province 220000": user("bench_province", "220000", User.Role.ADMINISTRATOR),
             "county 220102": user("bench_county", COUNTY, User.Role.CASEWORKER)}

    print(f"\nmedian of {args.runs} requests, ms (queries per request; API count field)\n")
    header = f"| case | {' | '.join(f'{who} UI | {who} API' for who in users)} |"
    print(header)
    print("|" + "---|" * (1 + 2 * len(users)))
    clients = {}
    for who, account in users.items():
        clients[who] = Client()
        clients[who].force_login(account)
    for label, app, query in cases():
        if args.only not in label:
            continue
        cells = []
        for who in users:
            for url in (f"/{app}/", f"/api/v1/{app}/"):
                ms, queries, status, total = measure(clients[who], url, query, args.runs)
                note = f" {status}" if status != 200 else ""
                count = f"; {total}" if total else ""
                cells.append(f"{ms:.0f} ({queries}{count}){note}")
        print(f"| {label} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
