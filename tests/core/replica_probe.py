"""Run by tests/core/test_replica.py in a process with DATABASE_URL (a primary) and DATABASE_REPLICA_URL (its
streaming replica): requests through the whole middleware stack, queries captured per database."""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.db import DEFAULT_DB_ALIAS, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.core.db_router import PIN_COOKIE, REPLICA  # noqa: E402
from apps.core.demo import make_uscc  # noqa: E402
from apps.employers.models import Employer  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE")


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}")
        sys.exit(1)


def get(client: Client, path: str):
    with CaptureQueriesContext(connections[REPLICA]) as replica, \
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
        response = client.get(path)
    check(response.status_code == 200, f"GET {path}: {response.status_code}")
    check(not [q for q in replica.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)],
          "a write reached the replica")
    return response, replica.captured_queries, primary.captured_queries


def reads(queries, table: str) -> list:
    return [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and f'"{table}"' in q["sql"]]


def replayed(uscc: str) -> None:
    for _ in range(200):
        if Employer.objects.using(REPLICA).filter(uscc=uscc).exists():
            return
        time.sleep(0.1)
    check(False, "the replica did not replay a write within 20 s")


def main() -> None:
    setup_test_environment()  # the test client's host
    user = User.objects.create_user(username="replica_probe", password="Probe@2026jl-x", role=User.Role.CASEWORKER,
                                    region_id="220102", last_name="王", first_name="探")
    client = Client()
    client.force_login(user)
    first = Employer.objects.create(uscc=make_uscc("220102", 986, "91"), name="副本检查单位甲", entity_type="enterprise",
                                    industry="retail", region_id="220102")
    replayed(first.uscc)  # a list with a row: its count and its page are two queries

    _response, replica, primary = get(client, "/api/v1/employers/")
    check(len(reads(replica, "employers_employer")) >= 2, "the API list's count and page did not run on the replica")
    check(not reads(primary, "employers_employer"), "the API list read the primary")
    _response, replica, primary = get(client, "/employers/")
    check(reads(replica, "employers_employer") and not reads(primary, "employers_employer"),
          "the UI list did not read the replica")

    uscc = make_uscc("220102", 987, "91")
    with CaptureQueriesContext(connections[REPLICA]) as replica_q:
        response = client.post("/api/v1/employers/", {"uscc": uscc, "name": "副本检查单位", "entity_type": "enterprise",
                                                      "industry": "retail", "region_code": "220102"},
                               content_type="application/json")
    check(response.status_code == 201, f"create: {response.status_code} {response.content[:300]!r}")
    check(not replica_q.captured_queries, "the write request touched the replica")
    check(Employer.objects.using(DEFAULT_DB_ALIAS).filter(uscc=uscc).exists(), "not written to the primary")
    check(PIN_COOKIE in response.cookies, "a write sets no pin")

    # Pinned: the client that just wrote reads the primary, and sees its new row at once.
    response, replica, primary = get(client, "/api/v1/employers/")
    check(not reads(replica, "employers_employer") and reads(primary, "employers_employer"), "the pin was ignored")
    check(uscc in response.content.decode(), "the writer does not see its own row")

    # The pin over: the replica again, once it has replayed the write.
    client.cookies.pop(PIN_COOKIE)
    replayed(uscc)
    response, replica, primary = get(client, "/api/v1/employers/")
    check(reads(replica, "employers_employer") and not reads(primary, "employers_employer"), "unpinned: not the replica")
    check(uscc in response.content.decode(), "the replica has not replayed the write")
    print("probe ok")


if __name__ == "__main__":
    main()
