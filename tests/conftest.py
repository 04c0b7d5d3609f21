"""Shared fixtures. Every view test can also check the wrong user is refused: caseworkers of two
regions (长春市南关区 / 吉林市船营区), a city supervisor, a province administrator, an API client."""

import os
import tempfile
from importlib import import_module

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _regions(request):
    """Reference data (regions, policy parameters) comes from data migrations. A transactional test flushes
    every table when it ends, so a database test that follows would find none: put them back (two cheap
    queries when they are there). A test that deletes a shipped version gets it back in the next test."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not marker and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or names & {"transactional_db", "live_server"}
    request.getfixturevalue("transactional_db" if transactional else "db")
    from apps.core.models import Region
    from apps.core.regions import load_regions
    from apps.eligibility.parameter_fixtures import load_policy_parameters

    if not Region.objects.exists():
        load_regions(Region)
    load_policy_parameters()  # the one loader, add-only: one query when every shipped version is there
    from apps.documents.series_fixtures import load_notice_series

    load_notice_series()  # the shipped 文号 series, add-only
    from apps.notifications.models import MessageTemplate

    if not MessageTemplate.objects.exists():  # the default message templates (notifications migration 0002)
        from django.apps import apps as registry

        import_module("apps.notifications.migrations.0002_default_templates").seed(registry, None)


@pytest.fixture
def caseworker(db):
    return UserFactory(username="cw_nanguan", role=User.Role.CASEWORKER, region_id="220102")


@pytest.fixture
def other_caseworker(db):
    return UserFactory(username="cw_chuanying", role=User.Role.CASEWORKER, region_id="220204")


@pytest.fixture
def supervisor(db):
    return UserFactory(username="sup_changchun", role=User.Role.SUPERVISOR, region_id="220100", is_staff=True)


@pytest.fixture
def province_admin(db):
    return UserFactory(username="admin_jilin", role=User.Role.ADMINISTRATOR, region_id="220000", is_staff=True)


@pytest.fixture
def integration_client(db):
    return UserFactory(username="api_jilin", role=User.Role.INTEGRATION, region_id="220000")


@pytest.fixture(autouse=True)
def _empty_cache():
    """The failed-token counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


def otp_device_for(user):
    """The user's confirmed TOTP device (created on first use): what a supervisor enrolled once."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)


def totp_code(device, drift: int = 0) -> str:
    """The 6-digit code the device shows now (what an authenticator app computes from the key);
    drift=1 is the next 30-second step, for a second sign-in within the same step (a code is used once)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def login_verified(client, user):
    """Log the test client in as user; a supervisor or administrator also with a verified TOTP device — the
    session key django_otp.login writes, so the second-factor middleware lets the session through."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from apps.accounts.otp import needs_second_factor

    client.force_login(user)
    if needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = otp_device_for(user).persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) → a Django test client logged in as that user (supervisors with a verified device)."""

    def login(user):
        return login_verified(client, user)

    return login


@pytest.fixture
def api_for():
    def login(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return login


def skip_or_fail(reason: str, required_flag: str) -> None:
    """Skip locally with a message; in CI (flag set) a missing browser or worker is a failure."""
    if os.environ.get(required_flag) == "1":
        pytest.fail(f"{reason} ({required_flag}=1 turns this skip into a failure)")
    pytest.skip(reason)


# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class WorkerProcess:
    """A real `celery worker` process on the test database and the configured broker."""

    def __init__(self, database_url: str, hostname: str | None = None):
        self.database_url = database_url
        self.hostname = hostname
        self.workdir: str | None = None
        self.process = None

    def start(self, concurrency: int = 1):
        import subprocess
        import sys

        env = {**os.environ, "DATABASE_URL": self.database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
               "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING", "--pool=prefork",
                   f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "-n", f"test-{os.getpid()}@%h"]
        if self.hostname:
            # Another machine as far as the worker can tell: its own UTS namespace with its own host name
            # (socket.gethostname(), Celery's %h) and its own working directory; it shares only the database
            # and the broker with the other workers. `exec` keeps the worker's pid the Popen's pid.
            self.workdir = tempfile.mkdtemp(prefix=f"{self.hostname}-")
            env["TMPDIR"] = self.workdir
            command = ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', self.hostname, *command]
        self.process = subprocess.Popen(command, env=env)
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def children(self) -> list[int]:
        """The prefork pool processes (they run the tasks)."""
        if not self.process:
            return []
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as handle:
                return [int(pid) for pid in handle.read().split()]
        except OSError:
            return []

    def kill_tree(self, sig=None):
        """Kill the worker and its pool processes at once (SIGKILL by default): a machine that dies."""
        import signal

        sig = sig or signal.SIGKILL
        for pid in [*self.children(), self.pid]:
            try:
                os.kill(pid, sig)
            except (OSError, TypeError):
                pass
        if self.process:
            self.process.wait(timeout=20)
        return self

    def restart(self, concurrency: int = 1):
        self.kill()
        return self.start(concurrency=concurrency)

    def kill(self, sig=None):

        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except Exception:  # noqa: BLE001 — a stuck worker is killed, the test must not hang
                    self.process.kill()
            else:
                self.process.send_signal(sig)
        return self


def _real_worker_database_url() -> str:
    """The test database's URL for worker processes, after the checks and a purged queue; eager mode off."""
    from django.db import connection

    from config.celery import app

    broker = os.environ.get("CELERY_BROKER_URL")
    if connection.vendor != "postgresql" or not broker:
        skip_or_fail("a real Celery worker needs PostgreSQL (DATABASE_URL) and a broker (CELERY_BROKER_URL)",
                     "REQUIRE_CELERY_WORKER")
    import dj_database_url

    db = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = connection.settings_dict["NAME"]
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    with app.connection_for_write() as conn:  # start from an empty queue: leftovers from an earlier run
        conn.default_channel.queue_purge("celery")
    return url


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """Starts a worker for one test; the test sends tasks with eager mode off and sees results in the DB."""
    from config.celery import app

    worker = WorkerProcess(_real_worker_database_url()).start()
    try:
        yield worker
    finally:
        worker.kill()
        app.conf.task_always_eager = True


@pytest.fixture
def workers_on_two_hosts(transactional_db, settings):
    """Two workers that believe they run on two machines (host-a, host-b): they share PostgreSQL and Redis only."""
    import shutil

    from config.celery import app

    if not shutil.which("unshare") or os.geteuid() != 0:
        skip_or_fail("two host names need `unshare --uts` as root", "REQUIRE_CELERY_WORKER")
    url = _real_worker_database_url()
    workers = [WorkerProcess(url, hostname=name).start() for name in ("host-a", "host-b")]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.kill()
            shutil.rmtree(worker.workdir or "", ignore_errors=True)
        app.conf.task_always_eager = True
