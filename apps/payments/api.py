"""/api/v1/payments/… and /api/v1/payment-batches/… — disbursement files for any registered source.

A source is named by its slug (`refund-run`) and the record's id. Readiness lists the payees whose bank
details keep a file from being made (409 `bank_details_missing` when one is tried anyway); a batch is
prepared (maker), approved and issued (checker, four eyes, hash-bound: 409 `approval_invalidated` when the
rows changed after approval), downloaded as CSV/XLSX, reconciled by importing the bank's return
(/api/v1/imports/, kind `payment_returns`), and its failures re-issued or closed.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import REVIEW_ROLES, STAFF_ROLES, HasRole
from apps.core.api.fields import bank_account_for
from apps.core.api.files import file_action
from apps.core.api.idempotency import idempotent
from apps.core.exceptions import ApplicationError, NotFoundError
from apps.core.exports import XLSX_CONTENT_TYPE, table_download
from apps.payments import services
from apps.payments.files import FORMATS, file_download
from apps.payments.lifecycle import LIFECYCLE, SYSTEM_ACTIONS
from apps.payments.models import PaymentBatch, PaymentLine
from apps.payments.selectors import (
    batch_events,
    batch_get,
    batch_lines,
    batch_list,
    line_get,
    report_table,
    source_readiness,
    source_report,
    supplement_due,
)
from apps.payments.sources import SOURCES, PaymentSource, source_by_slug

Staff = HasRole.of(*STAFF_ROLES)  # the file and the lines carry bank details: no integration accounts
Reviewer = HasRole.of(*REVIEW_ROLES)


def _source(slug: str) -> PaymentSource:
    source = source_by_slug(slug)
    if source is None:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return source


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    user = serializers.CharField(source="user.username", default=None)
    note = serializers.CharField()
    sha256 = serializers.CharField()
    at = serializers.DateTimeField()


class PaymentBatchSerializer(serializers.ModelSerializer):
    source_slug = serializers.SerializerMethodField()
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.username", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True, default=None)
    control = serializers.SerializerMethodField()

    class Meta:
        model = PaymentBatch
        fields = ["id", "source", "source_slug", "source_id", "region_code", "kind", "status", "status_display",
                  "purpose", "row_count", "total_amount", "control", "sha256", "prepared_by", "prepared_at",
                  "approved_by", "approved_at", "approved_sha256", "issued_by", "issued_at", "issued_sha256"]

    def get_source_slug(self, batch) -> str:
        source = SOURCES.get(batch.source)
        return source.slug if source else ""

    def get_control(self, batch) -> dict:
        return {"count": batch.row_count, "sum": _money(batch.total_amount), "sha256": batch.sha256}


class PaymentLineSerializer(serializers.ModelSerializer):
    """Account numbers are masked here; the full number is in the issued file only."""

    account_number = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PaymentLine
        fields = ["id", "reference", "row_key", "payee_code", "payee_name", "bank_name", "account_number",
                  "account_name", "amount", "region_code", "status", "status_display", "failure_reason",
                  "returned_at", "reissue_of", "closed_reason", "closed_at"]

    def get_account_number(self, line) -> str:
        return bank_account_for(self.context.get("request"), line.account_number, detail=False)


class PaymentNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, label="说明")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label="关闭原因")


class ReissueSerializer(serializers.Serializer):
    line_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                     label="失败明细ID（默认全部）")


class _FileRenderer(renderers.BaseRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(_FileRenderer):
    media_type, format = "text/csv", "csv"


class XLSXRenderer(_FileRenderer):
    media_type, format = XLSX_CONTENT_TYPE, "xlsx"


FILE_RENDERERS = [renderers.JSONRenderer, CSVRenderer, XLSXRenderer]


class JsonErrorsMixin:
    """A refused download (`?format=csv`) still answers the one JSON error shape, not a CSV-typed body."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)  # type: ignore[misc]
        request = self.request  # type: ignore[attr-defined]
        if isinstance(getattr(request, "accepted_renderer", None), _FileRenderer):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return response


def _format(request, allowed=FORMATS) -> str:
    fmt = request.query_params.get("format", "csv")
    if fmt not in allowed:
        raise ApplicationError("invalid_format", "格式只能是 csv 或 xlsx", {"format": ["csv 或 xlsx"]})
    return fmt


class PaymentBatchViewSet(JsonErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """发放文件. A batch of another region does not exist for the caller (404)."""

    permission_classes = [Staff]
    serializer_class = PaymentBatchSerializer
    queryset = PaymentBatch.objects.none()
    filter_backends: list = []

    def get_queryset(self):
        return batch_list(user=self.request.user)

    def get_object(self):
        return batch_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_permissions(self):
        if self.action in ("approve", "issue"):
            return [Reviewer()]
        return super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        batch = self.get_object()
        data = dict(PaymentBatchSerializer(batch).data)
        data["events"] = EventSerializer(batch_events(batch=batch), many=True).data
        data["actions"] = [t.action for t in LIFECYCLE.available(batch, request.user)
                           if t.action not in SYSTEM_ACTIONS]
        return Response(data)

    @extend_schema(responses=PaymentLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        page = self.paginate_queryset(batch_lines(batch=self.get_object()))
        return self.get_paginated_response(PaymentLineSerializer(page, many=True, context={"request": request}).data)

    def _move(self, request, service):
        data = PaymentNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = service(user=request.user, batch_id=self.get_object().pk, note=data.validated_data.get("note", ""))
        return Response(PaymentBatchSerializer(batch_get(user=request.user, pk=batch.pk)).data)

    @extend_schema(request=PaymentNoteSerializer, responses=PaymentBatchSerializer, examples=[
        OpenApiExample("四眼原则", value={"code": "four_eyes", "detail": "经办人不能审核或发放本人经办的事项，请由另一位审核人办理",
                                      "fields": {}}, response_only=True, status_codes=["403"])])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._move(request, services.batch_approve)

    @extend_schema(request=PaymentNoteSerializer, responses=PaymentBatchSerializer, examples=[
        OpenApiExample("审批后明细变化", value={"code": services.APPROVAL_INVALIDATED,
                                         "detail": services.APPROVAL_INVALIDATED_MESSAGE, "fields": {}},
                       response_only=True, status_codes=["409"])])
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._move(request, services.batch_issue)

    @extend_schema(request=PaymentNoteSerializer, responses=PaymentBatchSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._move(request, services.batch_cancel)

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=list(FORMATS))], responses={200: bytes})
    @file_action(CSVRenderer, XLSXRenderer, detail=True)
    def file(self, request, pk=None):
        return file_download(batch=self.get_object(), user=request.user, request=request, fmt=_format(request))


class PaymentLineViewSet(viewsets.GenericViewSet):
    """发放明细: close a failed line with a reason (a reviewer's)."""

    permission_classes = [Reviewer]
    serializer_class = PaymentLineSerializer
    queryset = PaymentLine.objects.none()

    @extend_schema(request=ReasonSerializer, responses=PaymentLineSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        line_get(user=request.user, pk=self.kwargs["pk"])  # 404 outside the region, whatever the body
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.line_close(user=request.user, line_id=self.kwargs["pk"], reason=data.validated_data["reason"])
        return Response(PaymentLineSerializer(line, context={"request": request}).data)


class ReadinessView(APIView):
    """Who keeps this record from being paid: `blocking` (missing or invalid bank details) and `flagged`
    (户名 differs from the payee's name)."""

    permission_classes = [Staff]

    @extend_schema(responses={200: dict}, examples=[OpenApiExample("缺少银行账户", value={
        "ready": False, "lines": 2, "total": "10800.00", "blocking": [{
            "row_key": "17", "payee_code": "91220102MA0000001X", "payee_name": "长春某某有限公司", "amount": "7200.00",
            "url": "/employers/17/edit/", "problems": [{"code": "bank_account_missing", "message": "未填写银行账号"}]}],
        "flagged": []}, response_only=True)])
    def get(self, request, source: str, source_id: int):
        readiness = source_readiness(user=request.user, source_key=_source(source).key, source_id=source_id)
        return Response({"ready": readiness.ready, "lines": readiness.lines, "total": _money(readiness.total),
                         "blocking": [_row(row) for row in readiness.blocking],
                         "flagged": [_row(row) for row in readiness.flagged]})


def _row(row: dict) -> dict:
    return {**row, "amount": _money(row["amount"])}


class SourceBatchesView(APIView):
    """GET: the record's files; POST: prepare its first file (409 `bank_details_missing`, `batch_exists`)."""

    permission_classes = [Staff]

    @extend_schema(responses=PaymentBatchSerializer(many=True))
    def get(self, request, source: str, source_id: int):
        services.source_record(user=request.user, source=_source(source), source_id=source_id)
        batches = batch_list(user=request.user, source_key=_source(source).key, source_id=source_id)
        return Response(PaymentBatchSerializer(batches, many=True).data)

    @idempotent
    @extend_schema(request=None, responses={201: PaymentBatchSerializer}, examples=[
        OpenApiExample("缺少银行账户", value={"code": services.BANK_DETAILS_MISSING,
                                        "detail": "有 1 家收款单位的银行账户信息缺失或有误，补正前不能生成发放文件",
                                        "fields": {"payees": ["长春某某有限公司（未填写银行账号）"]}},
                       response_only=True, status_codes=["409"])])
    def post(self, request, source: str, source_id: int):
        batch = services.batch_prepare(user=request.user, source_key=_source(source).key, source_id=source_id)
        return Response(PaymentBatchSerializer(batch_get(user=request.user, pk=batch.pk)).data,
                        status=status.HTTP_201_CREATED)


class ReissueView(APIView):
    """A new file for the record's failed lines (all, or `line_ids`), with the bank details as they are now."""

    permission_classes = [Staff]

    @idempotent
    @extend_schema(request=ReissueSerializer, responses={201: PaymentBatchSerializer})
    def post(self, request, source: str, source_id: int):
        data = ReissueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.lines_reissue(user=request.user, source_key=_source(source).key, source_id=source_id,
                                       line_ids=data.validated_data.get("line_ids"))
        return Response(PaymentBatchSerializer(batch_get(user=request.user, pk=batch.pk)).data,
                        status=status.HTTP_201_CREATED)


class SupplementView(APIView):
    """GET: the rows waiting for a supplementary file (补充发放: held back from the first file by an open objection,
    payable since); POST: prepare that file (409 `original_not_issued`, `nothing_to_supplement`,
    `bank_details_missing`, `row_already_paid`). It is approved and issued like any file."""

    permission_classes = [Staff]

    @extend_schema(responses={200: dict}, examples=[OpenApiExample("待补充发放", value={
        "count": 1, "total": "6600.00", "rows": [{"row_key": "17", "payee_code": "91220102MA0000001X",
                                                 "payee_name": "长春某某有限公司", "amount": "6600.00"}]},
        response_only=True)])
    def get(self, request, source: str, source_id: int):
        payment_source = _source(source)
        services.source_record(user=request.user, source=payment_source, source_id=source_id)
        due = supplement_due(source=payment_source, source_id=source_id)
        return Response({"count": len(due), "total": _money(sum((line.amount for line in due), Decimal("0.00"))),
                         "rows": [{"row_key": line.row_key, "payee_code": line.payee_code,
                                   "payee_name": line.payee_name, "amount": _money(line.amount)} for line in due]})

    @idempotent
    @extend_schema(request=None, responses={201: PaymentBatchSerializer})
    def post(self, request, source: str, source_id: int):
        batch = services.supplement_prepare(user=request.user, source_key=_source(source).key, source_id=source_id)
        return Response(PaymentBatchSerializer(batch_get(user=request.user, pk=batch.pk)).data,
                        status=status.HTTP_201_CREATED)


class ReportView(JsonErrorsMixin, APIView):
    """The reconciliation report: JSON, or `?format=xlsx|csv` for the file."""

    permission_classes = [Staff]
    renderer_classes = FILE_RENDERERS

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["json", *FORMATS])], responses={200: dict})
    def get(self, request, source: str, source_id: int):
        report = source_report(user=request.user, source_key=_source(source).key, source_id=source_id)
        fmt = request.query_params.get("format", "json")
        if fmt != "json":
            return table_download(report_table(report), fmt=_format(request), title="对账报告",
                                  stem=f"对账报告_{source}_{source_id}", widths=(40, 10, 18))
        return Response(report_json(report))


def report_json(report: dict) -> dict:
    return {"source": report["source"], "source_id": report["source_id"], "label": report["label"],
            "figures": {key: {"count": value["count"], "amount": _money(value["amount"])}
                        for key, value in report["figures"].items()},
            "files": report["files"], "pending_files": report["pending_files"], "checks": report["checks"],
            "balanced": report["balanced"], "settled": report["settled"]}


def register(router) -> None:
    router.register("payment-batches", PaymentBatchViewSet, basename="payment-batch")
    router.register("payment-lines", PaymentLineViewSet, basename="payment-line")
