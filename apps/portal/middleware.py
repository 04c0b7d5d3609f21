"""Drops the signed-in user's cached 待办 counts after each of their own writes (a POST that did not fail), so the
menu shows the approval they just made at once; other users' counts follow within WORKLIST_COUNTS_CACHE_SECONDS."""

from django.utils import timezone

from apps.portal import worklist

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class WorklistCountsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (request.method not in SAFE_METHODS and response.status_code < 400 and user is not None
                and user.is_authenticated):
            worklist.forget_counts(user, timezone.localdate())
        return response
