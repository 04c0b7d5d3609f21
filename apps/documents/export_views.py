"""The pages of a background export (apps.core.export_jobs): its status as JSON, which the record's page polls,
and its stored file. They live here, above core, because they need the portal's role check (apps.accounts)."""

from django.http import JsonResponse
from django.views import View

from apps.accounts.permissions import RoleRequiredMixin
from apps.core import export_jobs


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
