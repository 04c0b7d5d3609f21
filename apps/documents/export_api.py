"""/api/v1/exports/{id}/ — a background export's status, and /download/ its file (apps.core.export_jobs).

A record's API starts the job (POST /api/v1/refund-runs/{id}/exports/ → 202 with the job below); the client
polls the status until `ready`, then fetches `download_url`. Only the user who started the job sees it, and
only while they may still see its record (else 404)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import renderers, serializers, viewsets
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.core import export_jobs
from apps.core.api.files import file_action


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(label="导出任务编号")
    source = serializers.CharField(label="导出类别")  # type: ignore[assignment]  # the response key; the stubs type the base attribute
    source_id = serializers.IntegerField(label="来源记录编号")
    format = serializers.ChoiceField(choices=["csv", "xlsx"], label="格式")
    status = serializers.ChoiceField(choices=["pending", "running", "done", "failed"], label="状态")
    status_display = serializers.CharField(label="状态说明")
    total = serializers.IntegerField(label="总行数")
    done = serializers.IntegerField(label="已写行数")
    percent = serializers.IntegerField(label="进度（%）")
    ready = serializers.BooleanField(label="文件可下载")
    error = serializers.CharField(label="失败原因", allow_blank=True)
    filename = serializers.CharField(label="下载文件名")
    size = serializers.IntegerField(label="文件大小（字节）")
    created_at = serializers.DateTimeField(label="发起时间")
    finished_at = serializers.DateTimeField(label="完成时间", allow_null=True)
    expires_at = serializers.DateTimeField(label="文件过期时间", allow_null=True)
    status_url = serializers.CharField(label="状态地址")
    download_url = serializers.CharField(label="下载地址", allow_blank=True)


_JOB = {"id": 12, "source": "refund-run", "source_id": 3, "format": "xlsx", "total": 1000000,
        "filename": "稳岗返还_2025_220100_3_发放清单.xlsx", "created_at": "2026-03-02T09:00:00+08:00",
        "status_url": "/api/v1/exports/12/"}
EXPORT_JOB_EXAMPLES = [
    OpenApiExample("生成中", value={**_JOB, "status": "running", "status_display": "生成中", "done": 350000, "percent": 35,
                                 "ready": False, "error": "", "size": 0, "finished_at": None, "expires_at": None,
                                 "download_url": ""}, response_only=True, status_codes=["200", "202"]),
    OpenApiExample("已完成", value={**_JOB, "status": "done", "status_display": "已完成", "done": 1000000, "percent": 100,
                                 "ready": True, "error": "", "size": 41234567,
                                 "finished_at": "2026-03-02T09:00:48+08:00", "expires_at": "2026-03-03T09:00:48+08:00",
                                 "download_url": "/api/v1/exports/12/download/"}, response_only=True,
                   status_codes=["200", "202"]),
    OpenApiExample("生成失败", value={**_JOB, "status": "failed", "status_display": "生成失败", "done": 0, "percent": 0,
                                  "ready": False, "error": export_jobs.FAILED_MESSAGE, "size": 0,
                                  "finished_at": "2026-03-02T09:00:05+08:00", "expires_at": None, "download_url": ""},
                   response_only=True, status_codes=["200", "202"]),
]


def job_data(job) -> dict:
    """The job's status with the API's own addresses."""
    data = export_jobs.job_status(job)
    data["status_url"] = reverse("export-job-api-detail", args=[job.pk])
    data["download_url"] = reverse("export-job-api-download", args=[job.pk]) if job.ready else ""
    return data


class _FileRenderer(renderers.BaseRenderer):
    """Lets a stored export through DRF's content negotiation; the view returns the file itself."""

    media_type, format = "application/octet-stream", "file"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ExportJobViewSet(viewsets.GenericViewSet):
    """后台导出任务：进度与文件下载。"""

    permission_classes = [HasRole]
    serializer_class = ExportJobSerializer

    @extend_schema(responses=ExportJobSerializer, examples=EXPORT_JOB_EXAMPLES)
    def retrieve(self, request, pk=None):
        """导出任务的状态与进度；完成后 `download_url` 为文件下载地址。"""
        return Response(job_data(export_jobs.job_get(user=request.user, pk=int(pk))))

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @file_action(_FileRenderer, detail=True)
    def download(self, request, pk=None):
        """已完成导出的文件（CSV 或 XLSX）；未完成或已过期为 404。每次下载记入访问日志。"""
        job = export_jobs.job_get(user=request.user, pk=int(pk))
        return export_jobs.job_download_response(user=request.user, request=request, job=job)
