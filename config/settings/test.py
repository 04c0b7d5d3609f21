"""Test runs. The database comes from DATABASE_URL (CI: PostgreSQL), default SQLite."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
# Tests send tasks in-process; the worker test switches to the real broker explicitly.
CELERY_TASK_ALWAYS_EAGER = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "10000/minute"}}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Serve static files from the app folders directly; no collectstatic step before running.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make mutation` runs the tests once per mutant: a SQLite test database in a file, migrated once and reused
# (pytest's --reuse-db), instead of an in-memory one migrated again in every run.
if env("TEST_DATABASE_FILE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_FILE")}  # noqa: F405
