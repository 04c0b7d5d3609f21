"""Read-only work on a real streaming replica (apps.core.db_router): a private primary and a replica made
from it with pg_basebackup (their own data folders and ports, so the machine's PostgreSQL is untouched), the
portal migrated on the primary, then — in a process configured with DATABASE_URL and DATABASE_REPLICA_URL —
`check_replica` passes, a list's page and count queries run on the replica, a write (the API creating an
employer) runs on the primary and never on the replica (a hot standby refuses writes anyway), and the client
that just wrote reads its list from the primary (the pin). PostgreSQL's binaries are needed; not SQLite."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / (os.listdir("/usr/lib/postgresql")[0] if Path("/usr/lib/postgresql").exists()
                                        else "none") / "bin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def clusters():
    if connection.vendor != "postgresql" or not (PG_BIN / "initdb").exists():
        pytest.skip("a streaming replica needs PostgreSQL's server binaries (CI's PostgreSQL run has them)")
    # Not under pytest's temporary folder: that is private to this user, and the servers run as postgres.
    base = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    primary, replica = base / "primary", base / "replica"
    primary_port, replica_port = _free_port(), _free_port()
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8")
    with open(primary / "pg_hba.conf", "a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    options = f"-p {primary_port} -k {base} -c listen_addresses=127.0.0.1 -c wal_level=replica -c fsync=off"
    # -l: the server's output to a file (a captured pipe would stay open as long as the server runs)
    _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-o", options, "-w",
                 "start")
    try:
        _as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
                     "-D", str(replica), "-R", "-X", "stream")
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"), "-o",
                     f"-p {replica_port} -k {base} -c listen_addresses=127.0.0.1 -c hot_standby=on", "-w", "start")
        try:
            _as_postgres("psql", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "-qc",
                         "CREATE DATABASE portal")
            env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/portal",
                   "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica_port}/portal",
                   "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
            env.pop("CELERY_BROKER_URL", None)
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=900)
            yield env
        finally:
            _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(replica), "-m", "immediate", "stop")
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _run(env, *args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_check_replica_passes(clusters):
    done = _run(clusters, "manage.py", "check_replica")
    assert done.returncode == 0, done.stderr
    assert "副本检查通过" in done.stdout


def test_lists_read_the_replica_and_writes_never_go_there(clusters):
    done = _run(clusters, "-m", "tests.core.replica_probe")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "probe ok" in done.stdout


def test_without_a_replica_the_command_says_so(clusters):
    env = {key: value for key, value in clusters.items() if key != "DATABASE_REPLICA_URL"}
    done = _run(env, "manage.py", "check_replica")
    assert done.returncode != 0 and "未配置 DATABASE_REPLICA_URL" in done.stderr
