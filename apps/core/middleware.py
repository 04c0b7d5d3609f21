"""A business refusal raised in a caseworker page is a page, not a 500.

Forms catch ApplicationError and show it on their fields; anything that escapes a view (a bad filter in
a list's query string, a refused action) lands here once and renders the Chinese message with its status.
The API never gets here: DRF's exception handler renders the same error as JSON inside the view.
"""

from django.http import Http404
from django.shortcuts import render

from apps.core.exceptions import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) or not isinstance(exception, ApplicationError):
            return None  # Django's own 404 page / error handling
        return render(request, "errors/400.html", {"error": exception}, status=exception.status_code)
