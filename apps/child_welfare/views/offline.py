"""离线入户探访 (docs/offline-visits.md): the page a 儿童主任 opens before leaving for a village without signal,
and the service worker that keeps it, its styles and scripts and the JSON of their open cases on the phone.

The page holds no case data itself (static/child_welfare/offline.js fetches it from the API), so the cached page
is the same for every visit; the visit form is the visit page's own form (forms.VisitForm), the rules are checked
by the visit service when the queued visit reaches the server.
"""

from datetime import date
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from apps.accounts.permissions import RoleRequiredMixin
from apps.child_welfare import forms

SERVICE_WORKER = "child_welfare/offline-sw.js"


class OfflineVisitView(RoleRequiredMixin, TemplateView):
    template_name = "child_welfare/offline.html"

    def get_context_data(self, **kwargs):
        form = forms.VisitForm(initial={"visited_on": date.today(), "visitors": str(self.request.user)})
        return {**super().get_context_data(**kwargs), "form": form,
                "cases_url": reverse("cw-case-offline"),
                "sync_url": reverse("cw-case-offline-visits", args=[0]),
                "case_url": reverse("child_welfare:case-detail", args=[0])}


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    path = finders.find(SERVICE_WORKER)
    if not path:  # the file ships with the code: its absence is a broken build, not a user's error
        raise FileNotFoundError(SERVICE_WORKER)
    with open(path, "rb") as handle:
        return handle.read()


@require_safe
def service_worker(request):
    """/sw.js: a static script, served from the site root so that it may control the offline page and answer for
    the portal's pages when there is no network. Public (no personal data in it) so that the browser's update check
    works after the session has ended."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
