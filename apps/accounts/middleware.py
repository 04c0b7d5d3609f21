"""Sign-in protections in front of every view: idle sessions, the second factor, the failed-token throttle."""

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import JsonResponse
from django.urls import reverse

from apps.accounts.otp import confirmed_device, needs_second_factor
from apps.core.api.errors import error_body


def _client_address(request) -> str:
    # The same address django-axes locks (AXES_CLIENT_IP_CALLABLE when configured, else REMOTE_ADDR).
    return get_client_ip_address(request) or "unknown"


class IdleSessionRenewalMiddleware:
    """Sessions end SESSION_COOKIE_AGE after the last request (SESSION_IDLE_MINUTES, default 30). Instead of
    Django's SESSION_SAVE_EVERY_REQUEST (a database write on every request) the session is renewed at most
    once per SESSION_RENEW_SECONDS: an idle session ends between IDLE − 1 minute and IDLE after the last use."""

    KEY = "_renewed_at"

    @classmethod
    def on_login(cls, sender, request, user, **kwargs) -> None:
        """Signing in is a renewal (user_logged_in, connected in AccountsConfig.ready)."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get(self.KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                request.session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A supervisor or administrator whose session has no verified TOTP device reaches only the second-factor
    pages and logout: pages redirect to the code (or to enrolment without a device), the admin too; a session
    call to the API is a 403 with code otp_required. Token calls to the API carry no session: unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not self._exempt(request.path_info):
            if request.path_info.startswith("/api/"):
                return JsonResponse(error_body("otp_required", "请先完成动态口令（双因素）验证。"), status=403)
            target = "accounts:otp_verify" if confirmed_device(user) else "accounts:otp_enrol"
            return redirect_to_login(request.get_full_path(), reverse(target))
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (reverse("accounts:otp_verify"), reverse("accounts:otp_enrol"), reverse("logout"),
                  reverse("login"), reverse("healthz"), settings.STATIC_URL)
        return path.startswith(exempt)


class FailedTokenThrottleMiddleware:
    """Failed API token authentication is counted per client address (in the cache, so every web process
    shares it when CACHE_URL is set). Once an address has API_TOKEN_FAILURE_LIMIT failures in the window,
    every request it sends with an Authorization header answers 429 until the window ends — a correct token
    too, so guessing stops paying. It looks only at the header and the 401, never at the token class."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (request.path_info.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION")):
            return self.get_response(request)
        key = f"api-token-failures:{_client_address(request)}"
        window = settings.API_TOKEN_FAILURE_WINDOW
        if (cache.get(key) or 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            minutes = max(1, window // 60)
            response = JsonResponse(error_body("throttled", f"接口令牌验证失败次数过多，请 {minutes} 分钟后再试。"),
                                    status=429)
            response["Retry-After"] = str(window)
            return response
        response = self.get_response(request)
        if response.status_code == 401:
            cache.add(key, 0, timeout=window)  # the window starts at the first failure
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
        return response
