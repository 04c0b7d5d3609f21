"""Run by tests/core/test_replica.py in a process with DATABASE_URL (a primary) and DATABASE_REPLICA_URL (its
streaming replica): requests through the whole middleware stack, queries captured per database."""

import os
import sys
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.db import DEFAULT_DB_ALIAS, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.core import export_jobs  # noqa: E402
from apps.core.db_router import PIN_COOKIE, REPLICA  # noqa: E402
from apps.core.demo import make_uscc  # noqa: E402
from apps.employers.models import Employer  # noqa: E402
from apps.refunds.exports import SOURCE as REFUND_EXPORT  # noqa: E402
from apps.refunds.models import RefundResult, RefundRun  # noqa: E402

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


def on_replica(sql: str) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)


def add_result(run: RefundRun, n: int) -> Employer:
    employer = Employer.objects.create(uscc=make_uscc("220102", 900 + n, "91"), name=f"副本导出单位{n}",
                                       entity_type="enterprise", industry="retail", region_id="220102")
    RefundResult.objects.create(
        run=run, employer=employer, region_code="220102", entity_type="enterprise", industry="retail", employees=50,
        months_paid_in_full=24, has_arrears=False, serious_dishonesty=False, headcount_start=50, headcount_end=50,
        contributions_paid=Decimal("1000.00"), size_class="small", eligible=True, rate=Decimal("60.00"),
        amount=Decimal("600.00"), parameter_versions="{}")
    return employer


def export_text(run: RefundRun, user) -> str:
    """A background CSV export of the run (Celery eager here: the job runs when job_start commits)."""
    job = export_jobs.job_start(source=REFUND_EXPORT, record=run, fmt="csv", user=user)
    job.refresh_from_db()
    check(job.ready, f"the export job did not finish: {job.status} {job.error}")
    with job.file.open("rb") as handle:
        return handle.read().decode("utf-8")


def exports_read_the_replica(user) -> None:
    """A background export reads the replica; when the replica is behind, the file is written from the primary."""
    run = RefundRun.objects.create(year=2025, region_id="220102", status=RefundRun.Status.COMPUTED, chunk_size=100,
                                   started_by=user)
    employers = [add_result(run, n) for n in range(3)]
    for _ in range(200):
        if RefundResult.objects.using(REPLICA).filter(run_id=run.pk).count() == 3:
            break
        time.sleep(0.1)
    on_replica("SELECT pg_wal_replay_pause()")  # from here on the primary changes and the replica does not
    try:
        Employer.objects.filter(pk=employers[0].pk).update(name="副本导出单位改名")
        text = export_text(run, user)
        check("副本导出单位0" in text and "改名" not in text, "the export did not read the replica")
        add_result(run, 3)  # the replica has 3 rows, the primary 4
        text = export_text(run, user)
        check(text.count("副本导出单位") == 4 and "改名" in text, "a replica behind the primary gave a short file")
    finally:
        on_replica("SELECT pg_wal_replay_resume()")


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
    exports_read_the_replica(user)
    print("probe ok")


if __name__ == "__main__":
    main()
