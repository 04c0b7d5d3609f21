"""API pieces of the notices, for the programmes' own endpoints (e.g. /api/v1/refund-runs/{id}/notices/ for a
run's batch, /api/v1/childcare/claims/{id}/notice/ for a claim's one PDF)."""

from drf_spectacular.utils import OpenApiExample
from rest_framework import renderers, serializers


class NoticeBatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, label="批量任务编号")
    status = serializers.ChoiceField(choices=["none", "pending", "running", "done", "failed"], label="状态")
    status_display = serializers.CharField(label="状态说明")
    total = serializers.IntegerField(label="告知书总数")
    done = serializers.IntegerField(label="已生成")
    percent = serializers.IntegerField(label="进度（%）")
    ready = serializers.BooleanField(label="ZIP 可下载")
    sha256 = serializers.CharField(label="ZIP SHA-256", allow_blank=True)
    error = serializers.CharField(label="失败原因", allow_blank=True)
    download_url = serializers.CharField(label="ZIP 下载地址", allow_blank=True)


BATCH_EXAMPLES = [
    OpenApiExample("生成中", value={"id": 7, "status": "running", "status_display": "生成中", "total": 1200, "done": 350,
                                 "percent": 29, "ready": False, "sha256": "", "error": "",
                                 "download_url": ""}, response_only=True, status_codes=["200", "202"]),
    OpenApiExample("已完成", value={"id": 7, "status": "done", "status_display": "已完成", "total": 1200, "done": 1200,
                                 "percent": 100, "ready": True,
                                 "sha256": "9f2c0d3c1b5e4a7f8e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a291800",
                                 "error": "", "download_url": "/api/v1/refund-runs/3/notices/download/"},
                   response_only=True, status_codes=["200", "202"]),
    OpenApiExample("尚未生成", value={"id": None, "status": "none", "status_display": "尚未生成", "total": 0, "done": 0,
                                  "percent": 0, "ready": False, "sha256": "", "error": "", "download_url": ""},
                   response_only=True),
    OpenApiExample("未设置文号", value={"code": "notice_series_missing",
                                   "detail": "区划 220102 尚未设置这类告知书的文号，请管理员在“告知书文号”中设置后再生成。",
                                   "fields": {}}, response_only=True, status_codes=["400"]),
]


class ZipRenderer(renderers.BaseRenderer):
    """Lets a ZIP download through DRF's content negotiation; the view returns the file itself."""

    media_type, format = "application/zip", "zip"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfRenderer(renderers.BaseRenderer):
    """Lets a notice PDF through DRF's content negotiation; the view returns the file itself."""

    media_type, format = "application/pdf", "pdf"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data
