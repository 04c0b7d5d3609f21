"""/api/v1/integrations/deliveries/ — the outbound push of the caller's region and its delivery status, read-only.
ID numbers in the payload snapshot are masked; a detail read is written to the access log."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.filters import OrderingFilter

from apps.accounts.permissions import STAFF_ROLES, HasRole
from apps.core import audit
from apps.core.api.filters import FilteredBySelector
from apps.core.models import AccessLog
from apps.integrations.filters import OutboundMessageFilter
from apps.integrations.models import OutboundMessage
from apps.integrations.selectors import outbound_get, outbound_list

EXAMPLE = {
    "id": 7, "message_id": "0b8e5c8e-3f7a-4d7e-9a53-0f4f3c1d2a11", "destination": "job_matching",
    "destination_display": "就业岗位匹配平台", "kind": "training.willingness", "event": "created", "source_id": 12,
    "region_code": "220102", "payload": {"id": 12, "name": "张三", "id_number": "2201**********0012",
                                         "occupation_code": "4-10-01-01", "occupation": "家政服务员",
                                         "target_group": "migrant_worker", "registered_on": "2026-12-01"},
    "status": "sent", "status_display": "已发送", "attempts": 1, "last_error": "", "next_attempt_at": None,
    "delivered_at": "2026-12-01T09:30:02+08:00", "created_at": "2026-12-01T09:30:00+08:00"}


class OutboundMessageSerializer(serializers.ModelSerializer):
    destination_display = serializers.CharField(source="get_destination_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    payload = serializers.JSONField(source="masked_payload", read_only=True)

    class Meta:
        model = OutboundMessage
        fields = ["id", "message_id", "destination", "destination_display", "kind", "event", "source_id",
                  "region_code", "payload", "status", "status_display", "attempts", "last_error", "next_attempt_at",
                  "delivered_at", "created_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("已送达的培训意愿登记", value=[EXAMPLE], response_only=True)]),
    retrieve=extend_schema(examples=[
        OpenApiExample("失败待重试", value={**EXAMPLE, "status": "failed", "status_display": "失败", "attempts": 2,
                                          "last_error": "DeliveryError: 接收方返回 HTTP 503",
                                          "next_attempt_at": "2026-12-01T09:32:00+08:00", "delivered_at": None},
                       response_only=True),
        OpenApiExample("不存在或不在辖区", value={"code": "not_found", "detail": "记录不存在或无权访问。", "fields": {}},
                       response_only=True, status_codes=["404"])]),
)
class OutboundMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """对外推送 (to the job-matching platform) of the caller's region and their delivery status.

    Filters: `status` (pending/sending/sent/failed/dead = 待发送/发送中/已发送/失败/放弃), `kind`
    (training.willingness, training.shortage), `destination`, `source_id`, `region` (code prefix).
    """

    permission_classes = [HasRole.of(*STAFF_ROLES)]
    serializer_class = OutboundMessageSerializer
    queryset = OutboundMessage.objects.none()
    keyset_pagination = True
    ordering_fields: list[str] = []
    filterset_class = OutboundMessageFilter
    filter_backends = [FilteredBySelector, OrderingFilter]

    def get_queryset(self):
        return outbound_list(user=self.request.user,
                             filters=self.request.query_params if self.action == "list" else None)

    def get_object(self):
        message = outbound_get(user=self.request.user, pk=self.kwargs["pk"])
        audit.log_read(user=self.request.user, obj=message, request=self.request, action=AccessLog.Action.API)
        return message
