"""Test runs. The database comes from DATABASE_URL (CI: PostgreSQL), default SQLite."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import cache_settings, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
# Tests send tasks in-process; the worker test switches to the real broker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
# Each test process keeps its own cache even when CI sets CELERY_BROKER_URL (which base.py would share through
# Redis): counters of one test (throttles, failed tokens) must not leak into the next or into another xdist
# worker. tests/core/test_shared_cache.py builds the Redis caches it needs explicitly.
CACHES = cache_settings(None)
# Uploaded attachments (apps.core.attachments) of a test run go to a temporary folder, never the checkout.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "10000/minute"}}  # noqa: F405
# Quiet, but every INFO record of the portal's own code is still made and formatted (into os.devnull): a log call
# that cannot be made — an `extra` key LogRecord owns, a value the JSON formatter cannot write — fails its test
# instead of failing in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "handlers": {"devnull": {"class": "logging.FileHandler", "filename": os.devnull, "filters": ["request_id"],
                             "formatter": "json"}},
    "root": {"level": "WARNING"},
    "loggers": {"apps": {"level": "INFO", "handlers": ["devnull"]}},
}
# Serve static files from the app folders directly; no collectstatic step before running.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make mutation` runs the tests once per mutant: a SQLite test database in a file, migrated once and reused
# (pytest's --reuse-db), instead of an in-memory one migrated again in every run.
if env("TEST_DATABASE_FILE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_FILE")}  # noqa: F405
# Generated files (notices, their ZIPs) go to a scratch folder, never into the checkout.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "portal-test-media")))
# Outbound pushes of a test run (apps.integrations' file backend) go to a scratch folder, never the checkout (a
# worker test names its folder in the environment).
INTEGRATION_FILE_DIR = env("INTEGRATION_FILE_DIR") or str(Path(tempfile.mkdtemp(prefix="portal-test-outbound-")))
