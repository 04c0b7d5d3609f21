"""The kernel's own pages: liveness, the error pages and a placeholder. Domain pages live in their apps;
the dashboard, history and access-log pages in apps.portal."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import View

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import export_jobs
from apps.core.models import Heartbeat


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


@login_required
def placeholder(request, title: str):
    return render(request, "core/placeholder.html", {"title": title})


def healthz(request):
    """Liveness for the load balancer and docker: the database answers; shows the last worker heartbeat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = Heartbeat.objects.order_by("-at").values_list("at", flat=True).first()
    return JsonResponse({"status": "ok", "last_worker_heartbeat": last.isoformat() if last else None})


class ExportJobView(RoleRequiredMixin, View):
    """/exports/<id>/ — a background export's status as JSON (the run page polls it). The user's own job, while
    they may still see its record; else 404."""

    def get(self, request, pk):
        return JsonResponse(export_jobs.job_status(export_jobs.job_get(user=request.user, pk=pk)))


class ExportJobDownloadView(RoleRequiredMixin, View):
    """/exports/<id>/download/ — the stored file of a finished export; each download is an access-log row."""

    def get(self, request, pk):
        job = export_jobs.job_get(user=request.user, pk=pk)
        return export_jobs.job_download_response(user=request.user, request=request, job=job)
