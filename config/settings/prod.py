"""Production: PostgreSQL, Redis broker, real workers. Refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, env, env_bool

DEBUG = False
_secret_key = env("SECRET_KEY")
if not _secret_key or _secret_key.startswith("insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production")
SECRET_KEY = _secret_key
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment for production")

STORAGES = {
    "default": STORAGES["default"],  # noqa: F405 — base's: the folder, or S3 when S3_BUCKET is set
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -----------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The container's own healthcheck asks http://127.0.0.1:8000/healthz: no redirect it cannot follow, and its
# host is allowed (a loopback name, no one outside can send it through the proxy to a public name).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *(host for host in ("127.0.0.1", "localhost") if host not in ALLOWED_HOSTS)]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
