"""/api/v1/refund-runs/ — start, follow, review and export stable-job refund runs."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.permissions import HasRole
from apps.core.api.files import file_action
from apps.core.api.idempotency import idempotent
from apps.core.exceptions import ApplicationError
from apps.core.export_jobs import job_start
from apps.core.review import FOUR_EYES_MESSAGE
from apps.documents.api import BATCH_EXAMPLES, NoticeBatchSerializer, ZipRenderer
from apps.documents.export_api import EXPORT_JOB_EXAMPLES, ExportJobSerializer, job_data
from apps.documents.selectors import batch_latest, batch_status
from apps.documents.services import batch_start
from apps.documents.views import batch_download_response
from apps.publicity.serializers import PublicityListSerializer
from apps.refunds.exports import FORMATS, XLSX_MEDIA_TYPE, export_response
from apps.refunds.exports import SOURCE as EXPORT_SOURCE
from apps.refunds.filters import RefundResultFilter
from apps.refunds.models import RefundResult, RefundRun
from apps.refunds.notices import SOURCE as NOTICE_SOURCE
from apps.refunds.publicity import WINDOW_OPEN_CODE
from apps.refunds.selectors import (
    PUBLICITY_COLUMNS,
    result_list,
    run_get,
    run_list,
    run_progress,
    run_publicity,
    run_summary,
    visible_prefix,
)
from apps.refunds.services import (
    default_region_code,
    run_approve,
    run_confirm_notified,
    run_first_review,
    run_publish,
    run_reconcile,
    run_reject,
    run_start,
)


class RefundRunSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    status_display = serializers.CharField(source="status_label", read_only=True)
    dry_run = serializers.SerializerMethodField()
    started_by = serializers.CharField(source="started_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    first_reviewed_by = serializers.CharField(source="first_reviewed_by.username", read_only=True, default=None)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RefundRun
        fields = ["id", "year", "region_code", "region_name", "is_official", "dry_run", "status", "status_display",
                  "progress", "employers_expected", "rows_written", "eligible_count", "total_amount", "overrides",
                  "parameter_versions", "started_by", "created_at", "computed_at", "decided_by", "decided_at",
                  "decision_comment", "first_reviewed_by", "first_reviewed_at", "published_at", "publicity_starts_on",
                  "publicity_ends_on", "exported_at", "failure"]

    def get_dry_run(self, run) -> bool:
        return not run.is_official

    def get_progress(self, run) -> dict:
        return run_progress(run=run)


class RefundRunCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="返还年度")
    region = serializers.CharField(label="区划代码", required=False, max_length=12)
    dry_run = serializers.BooleanField(label="模拟测算", required=False, default=False)
    overrides = serializers.DictField(child=serializers.CharField(), required=False, label="模拟调整参数")


@extend_schema_serializer(component_name="RefundRunReview")  # childcare has a "Review" too
class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, label="审核意见")


class RefundResultSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="employer.uscc", read_only=True)
    name = serializers.CharField(source="employer.name", read_only=True)
    decision = serializers.CharField(read_only=True)
    reasons = serializers.ListField(source="reason_codes", child=serializers.CharField(), read_only=True)

    class Meta:
        model = RefundResult
        fields = ["employer_id", "uscc", "name", "region_code", "decision", "reasons", "size_class", "rate",
                  "contributions_paid", "amount", "entity_type", "industry", "employees", "revenue_10k", "assets_10k",
                  "months_paid_in_full", "has_arrears", "serious_dishonesty", "headcount_start", "headcount_end",
                  "parameter_versions"]


class _FileRenderer(renderers.BaseRenderer):
    """Lets `?format=csv|xlsx` through DRF's content negotiation; the view returns the file itself."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(_FileRenderer):
    media_type, format = "text/csv", "csv"


class XLSXRenderer(_FileRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"


class ExportStartSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(FORMATS), default="xlsx", label="格式")


class RefundRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """稳岗返还批次（免申即享）. A run of another region does not exist for the caller (404)."""

    permission_classes = [HasRole]
    token_scopes = {"create": "start_runs"}  # a token starts a run (official or dry) only with this scope
    serializer_class = RefundRunSerializer
    queryset = RefundRun.objects.none()
    keyset_pagination = True  # ?cursor= for deep pages (apps.core.api.pagination)
    filter_backends: list = []

    def get_queryset(self):
        return run_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return run_get(user=self.request.user, pk=self.kwargs["pk"])

    @idempotent
    @extend_schema(request=RefundRunCreateSerializer, responses={202: RefundRunSerializer})
    def create(self, request):
        data = RefundRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        run = run_start(user=request.user, year=values["year"],
                        region_code=values.get("region") or default_region_code(request.user),
                        dry_run=values["dry_run"], overrides=values.get("overrides") or None)
        run = run_get(user=request.user, pk=run.pk)
        return Response(RefundRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=RefundResultSerializer(many=True), filters=True,
                   parameters=[OpenApiParameter(name, str) for name in RefundResultFilter.base_filters])
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        run = self.get_object()
        # The employer's name and USCC by a second query of 50 ids, not a join: joined, the planner merges the
        # whole employer table up to a deep page's position (60 ms at 100k employers instead of 0.2 ms).
        rows = result_list(user=request.user, run=run, filters=request.query_params).select_related(None)
        rows = rows.prefetch_related("employer")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RefundResultSerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        run = self.get_object()
        summary = run_summary(run=run, region_prefix=visible_prefix(request.user, run))
        return Response(_jsonable(summary))

    def _reviewed(self, request, run):
        return Response(RefundRunSerializer(run_get(user=request.user, pk=run.pk)).data)

    @extend_schema(request=ReviewSerializer, responses=RefundRunSerializer, examples=[
        OpenApiExample("初审", value={"comment": "数据核对无误"}, request_only=True),
        OpenApiExample("发起人不能初审", value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}},
                       response_only=True, status_codes=["403"]),
        OpenApiExample("状态不允许", value={"code": "run_not_computed", "detail": "当前状态“公示中”不能执行“初审通过”操作",
                                       "fields": {"action": ["可执行：复核通过、退回"]}},
                       response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"], url_path="first-review")
    def first_review(self, request, pk=None):
        """初审 (computed → first_reviewed): a reviewer who did not start the run (403 `four_eyes`,
        `reviewer_required`); a dry run is 409 `run_is_dry_run`."""
        run = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_first_review(run_id=run.pk, user=request.user, comment=data.validated_data.get("comment", ""))
        return self._reviewed(request, run)

    @idempotent
    @extend_schema(request=None, responses=RefundRunSerializer, examples=[
        OpenApiExample("公示期", value={"id": 12, "status": "publicizing", "status_display": "公示中",
                                     "published_at": "2026-12-01T09:30:00+08:00", "publicity_starts_on": "2026-12-02",
                                     "publicity_ends_on": "2026-12-08"}, response_only=True, status_codes=["200"]),
        OpenApiExample("未经初审", value={"code": "run_not_first_reviewed",
                                       "detail": "当前状态“待初审”不能执行“发布公示”操作", "fields": {}},
                       response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公示 (first_reviewed → publicizing): opens the public list (an unguessable link) and its window —
        from the next working day, `refund.publicity_working_days` working days. Send `Idempotency-Key` to
        retry safely: the same key replays the first answer."""
        run = self.get_object()
        return self._reviewed(request, run_publish(run_id=run.pk, user=request.user))

    @extend_schema(request=ReviewSerializer, responses=RefundRunSerializer, examples=[
        OpenApiExample("复核", value={"comment": "公示期满无异议，同意发放"}, request_only=True),
        OpenApiExample("公示期未满", value={"code": WINDOW_OPEN_CODE, "detail": "公示期至 2026-12-08（含）止，公示期满后方可复核",
                                       "fields": {}}, response_only=True, status_codes=["409"]),
        OpenApiExample("四眼原则", value={"code": "four_eyes", "detail": FOUR_EYES_MESSAGE, "fields": {}},
                       response_only=True, status_codes=["403"])])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """复核 (publicizing → approved): only after the window's last day (409 `publicity_window_open` on it or
        before); a reviewer who neither started the run nor made the first review (403 `four_eyes`)."""
        run = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_approve(run_id=run.pk, user=request.user, comment=data.validated_data.get("comment", ""))
        return self._reviewed(request, run)

    @extend_schema(responses=PublicityListSerializer, examples=[OpenApiExample("公示名单", response_only=True, value={
        "published": True, "public_url": "https://portal.example/public/publicity/3q2-Xr7yZ0kLmNoPqRsTuVwXyZ012345/",
        "starts_on": "2026-12-02", "ends_on": "2026-12-08", "working_days": 5,
        "progress": {"elapsed": 2, "total": 5, "passed": False},
        "columns": [label for label, _kind in PUBLICITY_COLUMNS],
        "rows": [["长春某某有限公司", "9122**********001X", "小型", "3600.23"]]})])
    @action(detail=True, methods=["get"])
    def publicity(self, request, pk=None):
        """The public list of a published run (公示名单) as integrators read it: the same rows as the public page
        (no personal data), its window and its public link. Before publishing: `published` false, no rows."""
        run = self.get_object()
        return Response(_jsonable(run_publicity(run=run, request=request)))

    @extend_schema(request=ReviewSerializer, responses=RefundRunSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        run = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_reject(run_id=run.pk, user=request.user, comment=data.validated_data.get("comment", ""))
        return Response(RefundRunSerializer(run_get(user=request.user, pk=run.pk)).data)

    @extend_schema(request=ReviewSerializer, responses=RefundRunSerializer)
    @action(detail=True, methods=["post"])
    def reconcile(self, request, pk=None):
        """issued → reconciled, once /api/v1/payments/refund-run/{id}/report/ balances and nothing is open
        (409 `reconciliation_open` otherwise)."""
        run = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_reconcile(run_id=run.pk, user=request.user, note=data.validated_data.get("comment", ""))
        return Response(RefundRunSerializer(run_get(user=request.user, pk=run.pk)).data)

    @extend_schema(request=ReviewSerializer, responses=RefundRunSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-notified")
    def confirm_notified(self, request, pk=None):
        """reconciled → notified by a reviewer, when every 已发放到账 message is sent and the employers still
        untold have no contact (told by letter or phone: `comment` says how; 400 `comment_required` without it,
        409 `notices_not_sent` while a message is pending or failed)."""
        run = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = run_confirm_notified(run_id=run.pk, user=request.user, note=data.validated_data.get("comment", ""))
        return Response(RefundRunSerializer(run_get(user=request.user, pk=run.pk)).data)

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=list(FORMATS))], responses={200: bytes})
    @file_action(CSVRenderer, XLSXRenderer, detail=True)
    def export(self, request, pk=None):
        """A CSV of at most EXPORT_INLINE_MAX_ROWS rows at once; an XLSX or a larger CSV is 409 `export_async`
        (start it with POST …/exports/)."""
        run = self.get_object()
        fmt = request.query_params.get("format", "csv")
        if fmt not in FORMATS:
            raise ApplicationError("invalid_format", "导出格式只能是 csv 或 xlsx", {"format": ["csv 或 xlsx"]})
        return export_response(run=run, user=request.user, request=request, fmt=fmt)

    @idempotent
    @extend_schema(request=ExportStartSerializer, responses={202: ExportJobSerializer}, examples=EXPORT_JOB_EXAMPLES)
    @action(detail=True, methods=["post"])
    def exports(self, request, pk=None):
        """后台导出本批次结果（CSV 或 XLSX，本人辖区内的单位）：返回导出任务（202）；同一格式已在生成中的任务原样返回。
        完成后由 GET /api/v1/exports/{id}/download/ 下载；文件生成完成时记入导出记录。"""
        run = self.get_object()
        data = ExportStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_start(source=EXPORT_SOURCE, record=run, fmt=data.validated_data["format"], user=request.user)
        return Response(job_data(job), status=status.HTTP_202_ACCEPTED)

    def _notice_status(self, run) -> dict:
        data = batch_status(batch_latest(user=self.request.user, source=NOTICE_SOURCE, source_id=run.pk))
        data["download_url"] = reverse("refund-run-notices-download", args=[run.pk]) if data["ready"] else ""
        return data

    @extend_schema(responses=NoticeBatchSerializer, examples=BATCH_EXAMPLES)
    @action(detail=True, methods=["get"])
    def notices(self, request, pk=None):
        """告知书批量生成的进度：每家符合条件、有返还金额的单位一份 PDF，完成后打包为一个 ZIP。"""
        return Response(self._notice_status(self.get_object()))

    @idempotent
    @extend_schema(request=None, responses={202: NoticeBatchSerializer}, examples=BATCH_EXAMPLES)
    @notices.mapping.post
    def notices_start(self, request, pk=None):
        """开始（或继续）生成本批次全部告知书；已在生成中的任务原样返回，内容未变的告知书不重新生成。"""
        run = self.get_object()
        batch_start(source=NOTICE_SOURCE, source_id=run.pk, user=request.user)
        return Response(self._notice_status(run), status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): bytes})
    @file_action(ZipRenderer, detail=True, url_path="notices/download", url_name="notices-download")
    def notices_download(self, request, pk=None):
        """最近一次生成完成的告知书 ZIP（每份 PDF 与清单.csv）；每次下载记入访问日志。"""
        run = self.get_object()
        return batch_download_response(user=request.user, request=request, source=NOTICE_SOURCE, source_id=run.pk)


def _jsonable(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value

