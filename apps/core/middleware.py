"""A business refusal raised in a caseworker page is a page, not a 500.

Forms catch ApplicationError and show it on their fields; anything that escapes a view (a bad filter in
a list's query string, a refused action) lands here once and renders the Chinese message with its status.
The API never gets here: DRF's exception handler renders the same error as JSON inside the view.
"""

from functools import wraps

from django.conf import settings
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from apps.core.constraints import conflict_for
from apps.core.exceptions import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            # A record that doesn't exist or is out of the user's region: the Chinese 404 page, also under DEBUG
            # (`make run`), where Django would show its technical page. A URL that matches no pattern never
            # reaches a view, so developers still get Django's list of patterns for those.
            return render(request, "errors/404.html", status=404)
        if isinstance(exception, IntegrityError):
            exception = conflict_for(exception)  # a constraint's Chinese sentence, never its name
        if not isinstance(exception, ApplicationError):
            return None  # Django's own error handling
        return render(request, "errors/400.html", {"error": exception}, status=exception.status_code)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every API response and on every page a signed-in user gets: they carry
    personal data (names, ID numbers, cases), which no browser cache or intermediate proxy may keep.
    Static files (whitenoise, before this middleware) and anonymous pages keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class ContentSecurityPolicyMiddleware:
    """One Content-Security-Policy on every response (settings.CONTENT_SECURITY_POLICY): scripts, styles, images
    and fonts from this server only, no plugins, no framing, forms post here. No inline code of either kind:
    templates load static files and carry no style attribute (tests/security checks every template, and a browser
    test every main page), so script-src and style-src are just 'self'. A view that cannot do without one directive
    relaxed says so with `@content_security_policy(...)`, which this middleware merges into the policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.directives = dict(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.directives and "Content-Security-Policy" not in response:
            directives = {**self.directives, **getattr(response, "csp_update", {})}
            response["Content-Security-Policy"] = "; ".join(f"{name} {value}" for name, value in directives.items())
        return response


def clear_site_data(view):
    """Decorate the sign-out: `Clear-Site-Data` tells the browser to delete this site's caches and storage (the
    service worker's copies, the offline visit queue, local storage) — the session cookie goes by Django's own logout.
    Only on a successful sign-out (a redirect or a page), not on a refused request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code < 400:
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapped


def content_security_policy(**directives: str):
    """Decorate a view whose page needs a directive of the policy replaced, e.g. style_src="'self' 'unsafe-inline'"
    for a vendored page that writes style elements at run time. Underscores stand for the directives' hyphens."""
    update = {name.replace("_", "-"): value for name, value in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_update = update
            return response

        return wrapped

    return decorator
