"""Delivery status of notifications, read-only and scoped by the message's region. Addresses are masked."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from apps.accounts.permissions import STAFF_ROLES, HasRole
from apps.notifications.models import Message
from apps.notifications.selectors import message_get, message_list

EXAMPLE = {
    "id": 41, "event": "payments.paid", "channel": "sms", "channel_display": "短信", "recipient_name": "长春某某有限公司",
    "recipient_address": "138****5678", "region_code": "220102", "subject": "",
    "body": "【社会服务经办平台】长春某某有限公司：您单位的2025年稳岗返还资金3600.00元已发放到账（参考号P000012-00001）。",
    "source": "refund-run", "source_id": 12, "status": "sent", "status_display": "已发送", "attempts": 1,
    "last_error": "", "next_attempt_at": None, "sent_at": "2026-12-01T09:30:00+08:00",
    "created_at": "2026-12-01T09:29:58+08:00"}


class MessageSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    recipient_address = serializers.CharField(source="masked_address", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "event", "channel", "channel_display", "recipient_name", "recipient_address", "region_code",
                  "subject", "body", "source", "source_id", "status", "status_display", "attempts", "last_error",
                  "next_attempt_at", "sent_at", "created_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(examples=[OpenApiExample("已发送的到账短信", value=[EXAMPLE], response_only=True)]),
    retrieve=extend_schema(examples=[
        OpenApiExample("发送失败待重试", value={**EXAMPLE, "status": "failed", "status_display": "发送失败，待重试",
                                           "attempts": 2, "last_error": "DeliveryError: 短信网关超时",
                                           "next_attempt_at": "2026-12-01T09:34:00+08:00", "sent_at": None},
                       response_only=True),
        OpenApiExample("不存在或不在辖区", value={"code": "not_found", "detail": "记录不存在或无权访问。", "fields": {}},
                       response_only=True, status_codes=["404"])]),
)
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notifications (通知) of the caller's region and their delivery status.

    Filters: `status` (pending/sending/sent/failed/dead), `channel` (sms/email/inbox), `event`, `source` and
    `source_id` (what the message is about, e.g. `refund-run` and the run id), `region` (code prefix).
    """

    permission_classes = [HasRole.of(*STAFF_ROLES)]
    serializer_class = MessageSerializer
    queryset = Message.objects.none()
    keyset_pagination = True
    ordering_fields: list[str] = []

    def get_queryset(self):
        return message_list(user=self.request.user, filters=self.request.query_params)

    def get_object(self):
        return message_get(user=self.request.user, pk=self.kwargs["pk"])
