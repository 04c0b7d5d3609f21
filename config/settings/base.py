"""Settings shared by every environment. Everything that differs comes from the environment."""

import json
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import overload

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


# --- Core -------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "apps.core",
    "apps.accounts",
    "apps.applicants",
    "apps.employers",
    "apps.eligibility",
    "apps.training",
    "apps.childcare",
    "apps.imports",
    "apps.notifications",
    "apps.integrations",
    "apps.documents",
    "apps.payments",
    "apps.publicity",
    "apps.objections",
    "apps.child_welfare",
    "apps.refunds",
    "apps.gig",
    "apps.fraud",
    "apps.public_posts",
    "apps.eldercare",
    "apps.startup_loans",
    "apps.portal",
]

MIDDLEWARE = [
    "apps.core.logging.RequestIdMiddleware",  # first: every log line of the request carries its id
    "apps.core.db_router.ReplicaPinMiddleware",  # after a write, this client reads from the primary for a moment
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.IdleSessionRenewalMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "apps.accounts.middleware.SecondFactorRequiredMiddleware",
    "apps.accounts.middleware.FailedTokenThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "apps.core.middleware.ApplicationErrorMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    "apps.core.middleware.ContentSecurityPolicyMiddleware",
    "apps.portal.middleware.WorklistCountsMiddleware",  # a user's own write drops their cached 待办 counts
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a locked-out login into its page
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.portal.navigation.navigation",
                "apps.notifications.context.inbox",
            ],
            # How numbers and dates are written, in every template without a {% load %} (apps/core/templatetags/formats.py).
            "builtins": ["apps.core.templatetags.formats"],
        },
    }
]

# --- Database ---------------------------------------------------------------
# Embedded default: SQLite next to the code. Deployment: DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
# A streaming replica for read-only work (lists' count and page queries: apps.core.db_router). Tests mirror it
# to "default" (one test database). After a write a client reads from "default" for REPLICA_PIN_SECONDS.
_replica_url = env("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = {**dj_database_url.parse(_replica_url,
                                                    conn_max_age=int(env("DB_CONN_MAX_AGE", "60"))),
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["apps.core.db_router.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(env("REPLICA_PIN_SECONDS", "5"))

# --- Auth -------------------------------------------------------------------
# django-axes first: it refuses a locked-out account+address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's own validators (their messages have zh-hans translations): ≥ 10 characters, not all digits,
# not a common password, not close to the username or name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.password_validation.ChineseMinimumLengthValidator",
     "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Password guessing (django-axes): after AXES_FAILURE_LIMIT failures an account is locked *from that
# address* (the account stays usable elsewhere, an attacker cannot lock a colleague out from another
# machine) for AXES_COOLOFF_MINUTES; the login page and the admin login alike (both call authenticate()).
# The client address is REMOTE_ADDR (axes' default without django-ipware): a header cannot forge it.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"  # a Chinese page, 429
AXES_VERBOSE = False

# Failed API token authentication: an address that sent API_TOKEN_FAILURE_LIMIT bad tokens within
# API_TOKEN_FAILURE_WINDOW seconds gets 429 on every token request until the window ends
# (apps.accounts.middleware.FailedTokenThrottleMiddleware; counted in the cache, whatever the token class).
API_TOKEN_FAILURE_LIMIT = int(env("API_TOKEN_FAILURE_LIMIT", "10"))
API_TOKEN_FAILURE_WINDOW = int(env("API_TOKEN_FAILURE_WINDOW", "900"))

# Two-factor sign-in (django-otp, TOTP): supervisors and administrators confirm each session with a code
# from their authenticator app; without a device they are sent to enrolment first.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "社会服务经办平台")

# Sessions end after SESSION_IDLE_MINUTES without a request: a request renews the session (and its cookie)
# at most once a minute (apps.accounts.middleware.IdleSessionRenewalMiddleware), not a write per request.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_RENEW_SECONDS = 60

# --- Cache --------------------------------------------------------------------
# One cache for every web process: the API throttles (DRF's, counted per user/address per minute) and the
# failed-token counters live here, so a limit is the limit across all gunicorn workers and survives a restart
# of one. Where it is: CACHE_URL, else REDIS_URL, else the Celery broker when that is Redis (the same server
# and database; cache keys carry the "portal" prefix and a timeout, Celery's keys neither, so they never
# collide). Without any of them: per-process memory (LocMem) — fine for `make run`, not for several workers.
# django-axes keeps its failed sign-ins in the database (AxesDBHandler): shared by every process already and
# listed in the admin, so a locked-out colleague can be released there.
def redis_cache_location(environ: Mapping[str, str]) -> str | None:
    for name in ("CACHE_URL", "REDIS_URL"):
        if environ.get(name):
            return environ[name]
    broker = environ.get("CELERY_BROKER_URL") or ""
    return broker if broker.startswith(("redis://", "rediss://")) else None


def cache_settings(location: str | None) -> dict[str, dict]:
    if not location:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location,
                        "KEY_PREFIX": "portal",
                        # a Redis that is down must not take the API with it for long: short socket timeouts
                        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}


CACHES = cache_settings(redis_cache_location(os.environ))

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# The public address printed in QR codes of notices (their /verify/<code>/ page).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Uploaded and generated files (objection attachments, notices, ZIPs, export files) go through Django's storage
# API: a folder (MEDIA_ROOT) by default; an S3-compatible store (AWS S3, MinIO, Ceph, 政务云 OSS with an S3 API)
# when S3_BUCKET is set. Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or an
# instance role), never from this file. Objects are private: downloads go through the portal's audited views.
def default_storage_settings(environ: Mapping[str, str]) -> dict:
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {"bucket_name": bucket, "default_acl": "private", "file_overwrite": False, "querystring_auth": True,
               "location": environ.get("S3_PREFIX", "")}
    for option, name in (("endpoint_url", "S3_ENDPOINT_URL"), ("region_name", "S3_REGION")):
        if environ.get(name):
            options[option] = environ[name]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": default_storage_settings(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "no credentials" into 401, not 403.
        "apps.accounts.authentication.ApiTokenAuthentication",  # hashed keys with an owner, scopes, expiry
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "30/minute"),
        "user": env("API_THROTTLE_USER", "600/minute"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "社会服务经办平台 API",
    "DESCRIPTION": (
        "面向对接系统的接口。认证：会话或 `Authorization: Token <key>`。"
        '错误统一为 `{"code", "detail", "fields"}`。'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/schema/, /api/docs/, /api/redoc/ only for signed-in users (session or token); dev opens them.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: the intranet has no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a choice field called "kind"; name each enum after what it is.
    "ENUM_NAME_OVERRIDES": {
        "ImportKindEnum": "apps.imports.models.ImportBatch.Kind",
        "InsuranceKindEnum": "apps.applicants.models.InsuranceEnrollment.Kind",
        "InspectionKindEnum": "apps.childcare.models.Inspection.Kind",
        "FraudCaseKindEnum": "apps.fraud.models.FraudCase.Kind",
        "FraudCaseStatusEnum": "apps.fraud.models.FraudCase.Status",
        "StartupLoanStatusEnum": "apps.startup_loans.models.LoanApplication.Status",
    },
}

# --- Celery -------------------------------------------------------------------
# No broker configured → tasks run in-process (eager), so the embedded default needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None  # results live in the database (runs, chunks), not in a result store
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "apps.core.tasks.heartbeat", "schedule": 60.0},
    # 免申即享: people who now qualify for a benefit they have not received, before the working day starts.
    "eligibility-match-benefits": {"task": "apps.eligibility.tasks.match_benefits",
                                   "schedule": crontab(hour=2, minute=30)},
    # Overdue 3/6-month training follow-ups → the caseworkers' 待办 list (idempotent).
    "training-follow-up-worklist": {"task": "apps.training.tasks.refresh_follow_up_worklist", "schedule": 60.0 * 60},
    # Overdue visits of high-risk children are raised to the supervisor every morning; the job is idempotent.
    "child-welfare-escalate-overdue": {"task": "apps.child_welfare.tasks.escalate_overdue_visits",
                                       "schedule": crontab(hour=6, minute=30)},
    # Re-enqueues refund chunks lost with a killed worker and finalizes runs whose chunks are all done.
    "refund-chunk-sweeper": {"task": "apps.refunds.tasks.sweep_chunks", "schedule": 60.0},
    # Reconciled refund runs whose payees have all been told → 已告知 (should the outbox's listener have failed).
    "refund-notified-sweeper": {"task": "apps.refunds.tasks.sweep_notified", "schedule": 60.0 * 10},
    # Re-dispatches due notifications and those whose worker died while sending (apps.notifications).
    "notification-sweeper": {"task": "apps.notifications.tasks.sweep", "schedule": 60.0},
    # Re-dispatches due outbound pushes and those whose worker died while sending (apps.integrations).
    "outbound-sweeper": {"task": "apps.integrations.tasks.sweep", "schedule": 60.0},
    # Access log and change history older than AUDIT_RETENTION_DAYS (≥ 180 days): the one purge path.
    "audit-retention-purge": {"task": "apps.core.tasks.audit_purge", "schedule": crontab(hour=3, minute=15)},
    # API idempotency keys and UI form tokens past IDEMPOTENCY_KEY_TTL_HOURS (a reused expired key is also freed).
    "idempotency-key-purge": {"task": "apps.core.tasks.idempotency_keys_purge", "schedule": 60.0 * 60},
    # Stored export files past EXPORT_FILE_TTL_HOURS (apps.core.export_jobs; the job rows stay).
    "export-files-purge": {"task": "apps.core.tasks.export_files_purge", "schedule": 60.0 * 60},
    # Every stored decision recomputed from its stored inputs and versions (decisions_verify); the result
    # shows on the dashboard and in the admin (决定核验).
    "eligibility-verify-decisions": {"task": "apps.eligibility.tasks.verify_decisions",
                                     "schedule": crontab(hour=1, minute=15)},
}

# --- Notifications (apps.notifications, docs/notifications.md) -------------------
# Which class delivers each channel; a deployment may replace one (a class with `send(message) -> str`).
NOTIFICATION_CHANNELS = {
    "sms": "apps.notifications.channels.SmsChannel",
    "email": "apps.notifications.channels.EmailChannel",
    "inbox": "apps.notifications.channels.InboxChannel",
}
# No operator's SMS gateway is reachable here: SMS go to the log, or to a file when NOTIFICATION_SMS_FILE is set.
# A real gateway: NOTIFICATION_SMS_GATEWAY=dotted.path.Class, its keyword options as JSON in NOTIFICATION_SMS_OPTIONS.
NOTIFICATION_SMS_GATEWAY = env("NOTIFICATION_SMS_GATEWAY") or (
    "apps.notifications.sms.FileSmsGateway" if env("NOTIFICATION_SMS_FILE") else
    "apps.notifications.sms.ConsoleSmsGateway")
NOTIFICATION_SMS_OPTIONS: dict = (
    json.loads(env("NOTIFICATION_SMS_OPTIONS") or "{}") if env("NOTIFICATION_SMS_GATEWAY") else
    {"path": env("NOTIFICATION_SMS_FILE"), "delay_seconds": float(env("NOTIFICATION_SMS_DELAY_SECONDS", "0") or 0)}
    if env("NOTIFICATION_SMS_FILE") else {})
# Delivery: attempts before a message is dead, the backoff (base · 2^(n-1) seconds, capped), how long a claim
# holds before the sweeper hands a `sending` message to another worker (longer than the task's time limit).
NOTIFICATION_MAX_ATTEMPTS = int(env("NOTIFICATION_MAX_ATTEMPTS", "6") or 6)
NOTIFICATION_RETRY_BASE_SECONDS = int(env("NOTIFICATION_RETRY_BASE_SECONDS", "60") or 60)
NOTIFICATION_RETRY_MAX_SECONDS = int(env("NOTIFICATION_RETRY_MAX_SECONDS", "3600") or 3600)
NOTIFICATION_LEASE_SECONDS = int(env("NOTIFICATION_LEASE_SECONDS", "300") or 300)
NOTIFICATION_SWEEP_LIMIT = 1000
# E-mail through Django's mail backends: the console in development, SMTP (EMAIL_HOST, …) in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")

# --- Outbound push to other platforms (apps.integrations, docs/integrations.md) ----
# The backend: "file" (one JSON file per message in INTEGRATION_FILE_DIR) or "webhook" (a signed POST), or a
# dotted class path. Retries are operational settings, not policy parameters: attempts before a message is
# abandoned (放弃), the backoff base · 2^(n-1) seconds capped at the maximum, the claim's lease.
INTEGRATION_BACKEND = env("INTEGRATION_BACKEND", "file")
INTEGRATION_FILE_DIR = env("INTEGRATION_FILE_DIR") or str(BASE_DIR / "var" / "outbound")
INTEGRATION_WEBHOOK_URL = env("INTEGRATION_WEBHOOK_URL", "")
INTEGRATION_WEBHOOK_SECRET = env("INTEGRATION_WEBHOOK_SECRET", "")
INTEGRATION_WEBHOOK_TIMEOUT_SECONDS = int(env("INTEGRATION_WEBHOOK_TIMEOUT_SECONDS", "10") or 10)
INTEGRATION_MAX_ATTEMPTS = int(env("INTEGRATION_MAX_ATTEMPTS", "8") or 8)
INTEGRATION_RETRY_BASE_SECONDS = int(env("INTEGRATION_RETRY_BASE_SECONDS", "60") or 60)
INTEGRATION_RETRY_MAX_SECONDS = int(env("INTEGRATION_RETRY_MAX_SECONDS", "3600") or 3600)
INTEGRATION_LEASE_SECONDS = int(env("INTEGRATION_LEASE_SECONDS", "300") or 300)
INTEGRATION_SWEEP_LIMIT = 1000

# --- Logging ------------------------------------------------------------------
# One JSON line per record (time, level, logger, message, request_id, the `extra` fields): apps/core/logging.py.
# LOG_FORMAT=plain gives one readable line instead (still with the request id).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "apps.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                    "formatter": "plain" if env("LOG_FORMAT") == "plain" else "json"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# The worker logs through the same configuration (JSON, request ids) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Audit ----------------------------------------------------------------------
# How many reverse proxies of our own stand in front of the portal: the client address in the access log
# is the X-Forwarded-For entry the nearest of them appended; 0 = the header is ignored (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0") or 0)
# The access log and the change history are kept at least this long (等保 2.0 level 3: six months or more);
# `manage.py audit_purge` deletes only older rows, and the database refuses anything younger.
# --- Exports (apps.core.export_jobs, docs/exports.md) ------------------------------
# A CSV export up to this many rows streams in the request; larger ones and every XLSX are background jobs.
EXPORT_INLINE_MAX_ROWS = int(env("EXPORT_INLINE_MAX_ROWS", "50000") or 50000)
# A finished export's file is kept this long, then deleted by the hourly purge (the job row stays).
EXPORT_FILE_TTL_HOURS = int(env("EXPORT_FILE_TTL_HOURS", "24") or 24)
# A queued or running job without progress for this long is taken as interrupted: the next click requeues it.
EXPORT_STALE_MINUTES = int(env("EXPORT_STALE_MINUTES", "15") or 15)
AUDIT_RETENTION_DAYS = int(env("AUDIT_RETENTION_DAYS", "180") or 180)

# --- API ----------------------------------------------------------------------------
# How long an `Idempotency-Key` of a creating POST is remembered (apps.core.api.idempotency): a retry with the
# same key and body within this time gets the stored response; after it the key is free again.
IDEMPOTENCY_KEY_TTL_HOURS = int(env("IDEMPOTENCY_KEY_TTL_HOURS", "24") or 24)

# --- Portal -------------------------------------------------------------------
PORTAL_NAME = "社会服务经办平台"

# 公示 (apps.publicity, docs/publicity.md). The public list answers until this many calendar days after its
# window's last day, then 404 (the decision stands; the public copy comes down).
PUBLICITY_PUBLIC_DAYS_AFTER = int(env("PUBLICITY_PUBLIC_DAYS_AFTER", "30"))
# Requests per minute and client address on each page open without sign-in — the public 公示 list and the notice
# verify page (apps.core.throttle, counted in the cache) — then 429.
PUBLIC_RATE_PER_MINUTE = int(env("PUBLIC_RATE_PER_MINUTE", "60"))
# How to object, as printed on every public list. 示例文字: the agency sets its own channel.
PUBLICITY_OBJECTION_CHANNEL = env(
    "PUBLICITY_OBJECTION_CHANNEL",
    "对名单有异议的单位或个人，请在公示期内（截止日当天含）以书面形式向本页所列发布单位提出，"
    "并写明异议单位名称、异议事项和联系方式。【示例文字，以发布单位公布的受理渠道为准】")
# The root of the region tree the portal serves (GB/T 2260). Province users see everything below it.
PORTAL_ROOT_REGION = env("PORTAL_ROOT_REGION", "220000")

# Large lists (apps.core.pagination.CappedCountPaginator): exact "共 N 条" up to this many rows, an estimate above.
LIST_EXACT_COUNT_LIMIT = int(env("LIST_EXACT_COUNT_LIMIT", "10000") or 10_000)

# The 待办 worklist (apps.portal.worklist; docs/architecture.md). Windows in days: how far ahead an upcoming
# child-welfare visit or training follow-up and an expiring certification show, how long a failed import of
# one's own stays listed (until a later import of the same kind succeeds). Counts are cached per user (the
# cache is Redis when configured) for WORKLIST_COUNTS_CACHE_SECONDS and dropped on the user's own writes; a
# source counts at most WORKLIST_COUNT_LIMIT items ("1000+").
WORKLIST_WINDOW_DAYS = {
    "visit_upcoming": int(env("WORKLIST_VISIT_UPCOMING_DAYS", "7") or 7),
    "follow_up_upcoming": int(env("WORKLIST_FOLLOW_UP_UPCOMING_DAYS", "7") or 7),
    "certification_expiring": int(env("WORKLIST_CERTIFICATION_EXPIRING_DAYS", "60") or 60),
    "failed_imports": int(env("WORKLIST_FAILED_IMPORTS_DAYS", "30") or 30),
    "placement_ending": int(env("WORKLIST_PLACEMENT_ENDING_DAYS", "30") or 30),  # 公益性岗位: 续签 or 离岗
}
WORKLIST_COUNTS_CACHE_SECONDS = int(env("WORKLIST_COUNTS_CACHE_SECONDS", "60") or 60)
WORKLIST_COUNT_LIMIT = int(env("WORKLIST_COUNT_LIMIT", "1000") or 1000)

# Imports uploaded through the UI or the API (apps.imports.limits); the operator's import_* commands have none.
# Checked before a file is read: the upload itself (the bytes received, whatever Content-Length claims), an
# XLSX's uncompressed size (its zip directory, so a 1 MB file that expands to 400k rows is refused unparsed)
# and the data rows (counted while streaming: reading stops at the limit).
IMPORT_MAX_UPLOAD_BYTES = int(env("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Objection attachments and any other apps.core.attachments upload: the bytes read, not the declared size.
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_EXPANDED_BYTES = int(env("IMPORT_MAX_EXPANDED_BYTES", str(64 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "50000"))
# An upload from the page larger than this runs as a background task with a progress bar (apps.imports.tasks),
# under its own row limit; smaller files are imported while the page waits.
IMPORT_BACKGROUND_BYTES = int(env("IMPORT_BACKGROUND_BYTES", str(512 * 1024)))
IMPORT_BACKGROUND_MAX_ROWS = int(env("IMPORT_BACKGROUND_MAX_ROWS", "1000000"))

# Bulk actions on a list page (apps.core.bulk): at most this many records per batch, each done inside the request
# through its own service; a larger selection is refused whole with a message (bulk_too_many).
BULK_ACTION_MAX_RECORDS = int(env("BULK_ACTION_MAX_RECORDS", "100") or 100)

# Content-Security-Policy (apps.core.middleware.ContentSecurityPolicyMiddleware). No inline script and no inline
# style anywhere: page behaviour and looks live in static/ files (bar widths are pct-N classes). The Swagger/Redoc
# pages need blob: workers and data: images; Redoc alone writes style elements at run time, and only its view
# relaxes style-src (config/urls.py, @content_security_policy).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
