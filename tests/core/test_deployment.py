"""Issue 13, hole 3 (what the production build fix left): docker's healthchecks and .env, testable without
Docker — the compose file is parsed, the beat check is run against a schedule file, /healthz is fetched
under the production security settings."""

import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings

COMPOSE = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
APP_SERVICES = ("web", "worker", "beat")
INTERPOLATION = re.compile(r"^\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?P<op>:-|:\?)(?P<rest>.*)\}$")


def _prod_settings():
    """config.settings.prod as a module, imported with the secrets it insists on."""
    env = {"SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghij",
           "DATABASE_URL": "postgres://u:p@db:5432/portal", "ALLOWED_HOSTS": "portal.example.gov.cn"}
    with mock.patch.dict(os.environ, env):
        sys.modules.pop("config.settings.prod", None)
        try:
            return importlib.import_module("config.settings.prod")
        finally:
            sys.modules.pop("config.settings.prod", None)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_env_file_wins_over_the_compose_file(service):
    """`environment:` overrides env_file: every value there is ${NAME:-default} or ${NAME:?message} of its own
    name, so a value in .env (which compose also reads for interpolation) is the one the container gets."""
    config = COMPOSE["services"][service]
    assert ".env" in config["env_file"]
    for name, value in (config.get("environment") or {}).items():
        match = INTERPOLATION.match(str(value))
        assert match and match["name"] == name, f"{service}: {name}={value!r} would override .env"


def test_secrets_are_never_written_in_the_compose_file():
    for service in APP_SERVICES:
        value = str((COMPOSE["services"][service].get("environment") or {}).get("SECRET_KEY", "${SECRET_KEY:?}"))
        match = INTERPOLATION.match(value)
        assert match and match["op"] == ":?", f"{service}: SECRET_KEY must come from .env and be required"
    postgres = COMPOSE["services"]["postgres"]["environment"]
    assert INTERPOLATION.match(str(postgres["POSTGRES_PASSWORD"]))


def test_web_healthcheck_fetches_healthz_which_production_does_not_redirect():
    test = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in test
    prod = _prod_settings()
    assert prod.SECURE_SSL_REDIRECT and any(re.match(pattern, "healthz") for pattern in prod.SECURE_REDIRECT_EXEMPT)
    assert "127.0.0.1" in prod.ALLOWED_HOSTS  # the container's own healthcheck asks for 127.0.0.1


@pytest.mark.django_db
def test_healthz_answers_200_under_production_settings_without_x_forwarded_proto(client, settings):
    prod = _prod_settings()
    for name in ("SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS"):
        setattr(settings, name, getattr(prod, name))
    assert client.get("/healthz", HTTP_HOST="127.0.0.1").status_code == 200
    # Every other page still goes to https; behind the proxy (X-Forwarded-Proto: https) it is served.
    assert client.get("/login/", HTTP_HOST="127.0.0.1").status_code == 301
    assert client.get("/login/", HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def _beat_check(tmp_path) -> int:
    command = COMPOSE["services"]["beat"]["healthcheck"]["test"]
    assert command[0] == "CMD-SHELL"
    return subprocess.run(["sh", "-c", command[1].replace("/tmp/", f"{tmp_path}/")], check=False).returncode


def test_beat_healthcheck_fails_when_the_schedule_file_stops_changing(tmp_path):
    beat = COMPOSE["services"]["beat"]
    assert "--schedule /tmp/celerybeat-schedule" in beat["command"]
    assert _beat_check(tmp_path) != 0  # no schedule file: beat never started
    schedule = tmp_path / "celerybeat-schedule"
    schedule.write_bytes(b"x")
    assert _beat_check(tmp_path) == 0  # beat writes its schedule at least every 3 minutes (sync_every)
    stale = time.time() - 10 * 60
    os.utime(schedule, (stale, stale))
    assert _beat_check(tmp_path) != 0  # a beat that hangs or died leaves the file alone
