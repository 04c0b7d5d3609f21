"""/api/v1/objections/ — lodge (the employer through an integration token, or a caseworker on its behalf),
list, detail, assign, decide, upload an attachment.

How an employer is identified: an integration account's token (apps.accounts ApiToken, role 接口账号, scoped
to its region) acts for employers the integrating system (e.g. the 网上办事大厅) has authenticated; it passes
the employer's 统一社会信用代码 as `employer_uscc`, which must be the cited result's employer (else 400 with
`fields.employer_uscc`). The objection records channel `api` and the token's account as who entered it. A
staff user (session or token) lodging through the API is entering it on the employer's behalf (`on_behalf`).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.accounts.permissions import REVIEW_ROLES, STAFF_ROLES, HasRole
from apps.core.api.idempotency import idempotent
from apps.core.api.views import RecordBeforeBody
from apps.objections import services
from apps.objections.lifecycle import LIFECYCLE
from apps.objections.models import Objection
from apps.objections.selectors import objection_attachments, objection_events, objection_get, objection_list

Staff = HasRole.of(*STAFF_ROLES)
Reviewer = HasRole.of(*REVIEW_ROLES)


class LodgeSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=32, label="来源（refund-run）")  # type: ignore[assignment]
    record_id = serializers.IntegerField(min_value=1, label="记录编号（批次ID）")
    row_key = serializers.RegexField(r"^[0-9]{1,18}$", label="行（单位ID）")
    disputed_item = serializers.CharField(max_length=64, label="异议事项代码（见结果的可选项）")
    grounds = serializers.CharField(max_length=2000, label="异议理由")
    employer_uscc = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                          label="单位统一社会信用代码（接口账号必填）")


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(min_value=1, label="承办人用户ID")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["uphold", "reject"], label="决定")
    reasons = serializers.CharField(max_length=2000, label="决定理由")
    corrected_facts = serializers.DictField(required=False, label="更正后的事实（异议成立时）")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="附件（PDF、JPEG、PNG）")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ObjectionSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    assignee = serializers.CharField(source="assignee.username", default=None, read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "source", "record_id", "row_key", "result_id", "region_code", "subject_name",
                  "disputed_item", "disputed_label", "grounds", "channel", "deadline", "status", "status_display",
                  "assignee", "decided_at", "decision_reasons", "corrected_facts", "new_result_id", "created_at"]


EXAMPLE_LODGE = {"source": "refund-run", "record_id": 12, "row_key": "345", "disputed_item": "fact:months_paid_in_full",
                 "grounds": "2024年3月的缴费已于4月补足，应为连续足额缴费12个月。", "employer_uscc": "91220102MA0000001X"}


class ObjectionViewSet(RecordBeforeBody, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """异议. An objection of another region does not exist for the caller (404)."""

    serializer_class = ObjectionSerializer
    queryset = Objection.objects.none()
    filter_backends: list = []

    def get_permissions(self):
        if self.action == "create":
            return [HasRole()]  # staff, and integration accounts acting for an employer
        if self.action == "decide":
            return [Reviewer()]
        return [Staff()]

    def get_queryset(self):
        params = self.request.query_params
        record = params.get("record_id")
        if record is not None and not record.isdigit():
            from apps.core.exceptions import ApplicationError

            raise ApplicationError("invalid_filter", "record_id 须为数字", {"record_id": ["须为数字"]})
        return objection_list(user=self.request.user, source=params.get("source") or None,
                              record_id=int(record) if record else None, status=params.get("status") or None)

    def get_object(self):
        return objection_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("source", str), OpenApiParameter("record_id", int),
                               OpenApiParameter("status", str, enum=list(Objection.Status.values))])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        objection = self.get_object()
        data = dict(ObjectionSerializer(objection).data)
        data["events"] = [{"action": e.action, "from_status": e.from_status, "to_status": e.to_status,
                           "user": e.user.username, "note": e.note, "at": e.at} for e in objection_events(objection)]
        data["attachments"] = AttachmentSerializer(objection_attachments(objection), many=True).data
        data["actions"] = [t.action for t in LIFECYCLE.available(objection, request.user)]
        return Response(data)

    @extend_schema(request=LodgeSerializer, responses={201: ObjectionSerializer}, examples=[
        OpenApiExample("单位通过接口提出", value=EXAMPLE_LODGE, request_only=True),
        OpenApiExample("公示期已过", value={"code": services.WINDOW_CLOSED,
                                         "detail": "公示期已于 2026年11月20日 结束，不能再提出异议。", "fields": {}},
                       response_only=True, status_codes=["409"]),
        OpenApiExample("尚未公示", value={"code": services.WINDOW_NOT_OPEN, "detail": "结果尚未公示，暂不能提出异议。",
                                       "fields": {}}, response_only=True, status_codes=["409"])])
    @idempotent
    def create(self, request, *args, **kwargs):
        data = LodgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        channel = (Objection.Channel.API if request.user.has_role("integration") else Objection.Channel.ON_BEHALF)
        objection = services.objection_lodge(user=request.user, source_slug=v["source"], record_id=v["record_id"],
                                             row_key=v["row_key"], disputed_item=v["disputed_item"],
                                             grounds=v["grounds"], channel=channel,
                                             subject_code=v.get("employer_uscc", ""))
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignSerializer, responses=ObjectionSerializer,
                   examples=[OpenApiExample("指定承办人", value={"assignee": 7, "note": "请核实缴费记录"},
                                            request_only=True)])
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = services.objection_assign(user=request.user, objection_id=self.get_object().pk,
                                              assignee_id=data.validated_data["assignee"],
                                              note=data.validated_data.get("note", ""))
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(request=DecideSerializer, responses=ObjectionSerializer, examples=[
        OpenApiExample("异议成立", value={"decision": "uphold", "reasons": "经核查社保缴费记录，连续足额缴费12个月。",
                                      "corrected_facts": {"months_paid_in_full": 12}}, request_only=True),
        OpenApiExample("四眼原则", value={"code": "four_eyes", "detail": "经办人不能审核或发放本人经办的事项，请由另一位审核人办理",
                                      "fields": {}}, response_only=True, status_codes=["403"])])
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        objection = services.objection_decide(user=request.user, objection_id=self.get_object().pk,
                                              decision=v["decision"], reasons=v["reasons"],
                                              corrected_facts=v.get("corrected_facts"))
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer},
                   examples=[OpenApiExample("文件类型不符", value={
                       "code": "attachment_type_mismatch", "detail": "附件的文件名或声明类型与文件内容不符",
                       "fields": {"file": ["文件内容与扩展名或类型不符"]}}, response_only=True, status_codes=["400"])])
    @idempotent
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.objection_attach(user=request.user, objection_id=self.get_object().pk,
                                               upload=data.validated_data["file"],
                                               description=data.validated_data.get("description", ""))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
