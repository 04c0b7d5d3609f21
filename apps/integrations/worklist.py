"""对外推送's 待办 (registered in IntegrationsConfig.ready()): messages the outbox gave up on (放弃, after its last
attempt) — a reviewer of the region reads the error and presses 重新发送 on the deliveries page."""

from django.urls import reverse

from apps.core.registry import WorkItem, WorklistSource
from apps.core.review import REVIEWER_ROLES
from apps.core.scoping import scope_queryset
from apps.integrations.kinds import KINDS
from apps.integrations.models import OutboundMessage


def messages_given_up(user, today):
    return scope_queryset(OutboundMessage.objects.filter(status=OutboundMessage.Status.DEAD), user).order_by("id")


def message_item(message: OutboundMessage) -> WorkItem:
    kind = KINDS[message.kind].label if message.kind in KINDS else message.kind
    return WorkItem(what=f"{message.get_destination_display()} · {kind} #{message.source_id}",
                    why=f"已发送 {message.attempts} 次仍失败，已停止重试（{message.last_error[:80] or '无错误信息'}）：请核对后重新发送",
                    url=reverse("integrations:delivery-list") + f"?status={OutboundMessage.Status.DEAD}",
                    since=message.created_at)


SOURCES = (
    WorklistSource(key="integrations.given_up", module="integrations", label="对外推送失败待处理",
                   queryset=messages_given_up, item=message_item, roles=REVIEWER_ROLES, order=75),
)
