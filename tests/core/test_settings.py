"""The same code runs on the embedded default and on PostgreSQL + Redis, chosen by the environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def _run(module: str, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    result = subprocess.run([sys.executable, "-c", PROBE], env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
                            capture_output=True, text=True, cwd=settings.BASE_DIR, check=False)
    return result


def test_embedded_default_is_sqlite_and_eager_celery():
    out = json.loads(_run("config.settings.dev").stdout)
    assert out == {"engine": "django.db.backends.sqlite3", "eager": True, "broker": None, "debug": True,
                   "lang": "zh-hans", "tz": "Asia/Shanghai"}


def test_environment_switches_to_postgresql_and_a_real_broker():
    out = json.loads(_run("config.settings.dev", DATABASE_URL="postgres://u:p@db:5432/portal",
                          CELERY_BROKER_URL="redis://redis:6379/0").stdout)
    assert out["engine"] == "django.db.backends.postgresql"
    assert out["eager"] is False and out["broker"] == "redis://redis:6379/0"


def test_production_refuses_to_start_without_secret_key():
    result = _run("config.settings.prod", DATABASE_URL="postgres://u:p@db:5432/portal")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings.prod",
           "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
           "ALLOWED_HOSTS": "portal.example.gov.cn", "DATABASE_URL": "postgres://u:p@db:5432/portal",
           "CELERY_BROKER_URL": "redis://redis:6379/0"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, cwd=settings.BASE_DIR, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
