"""/exports/<id>/ and /exports/<id>/download/ (apps.documents.export_views), un-namespaced as the export
service names them (apps.core.export_jobs.job_status)."""

from django.urls import path

from apps.documents import export_views

urlpatterns = [
    path("exports/<int:pk>/", export_views.ExportJobView.as_view(), name="export-job"),
    path("exports/<int:pk>/download/", export_views.ExportJobDownloadView.as_view(), name="export-job-download"),
]
