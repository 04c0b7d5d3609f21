"""Reads of the notification service: the outbox (scoped by the message's region), a user's inbox, counts."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset, user_can_see_region
from apps.notifications.filters import MessageFilter
from apps.notifications.models import Channel, Message


def message_list(*, user, filters=None) -> QuerySet[Message]:
    messages = scope_queryset(Message.objects.select_related("region"), user)
    return filter_or_raise(MessageFilter, filters, messages).order_by("-id")


def message_get(*, user, pk: int) -> Message:
    return get_scoped_or_404(Message.objects.select_related("region"), user, pk=pk)


def inbox_list(*, user) -> QuerySet[Message]:
    """My 站内信: messages delivered to me, newest first (only ever the signed-in user's own)."""
    return Message.objects.filter(recipient_user=user, channel=Channel.INBOX,
                                  status=Message.Status.SENT).order_by("-id")


def inbox_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_list(user=user).filter(read_at__isnull=True).count()


SENT = Message.Status.SENT


def message_statuses(*, source: str, source_id: int, event: str) -> list[tuple[str, str]]:
    """(dedupe key, status) of every message of one event about one record — unscoped: the system's own check
    (a run is 已告知 when its payment notices are all sent), never a page. One query."""
    return list(Message.objects.filter(source=source, source_id=source_id, event=event)
                .values_list("dedupe_key", "status").order_by())


def message_counts(*, user, source: str, source_id: int, region_code: str | None = None
                   ) -> dict[str, dict[str, int]]:
    """{event: {status: count, …, "total": n}} of the messages about one record (a run page's 通知 panel).
    One query. Empty when the user may not see the record's region (`region_code`, when given)."""
    if region_code is not None and not user_can_see_region(user, region_code):
        return {}
    rows = (scope_queryset(Message.objects.filter(source=source, source_id=source_id), user)
            .values_list("event", "status").annotate(n=Count("id")).order_by())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event, status, n in rows:
        counts[event][status] += n
        counts[event]["total"] += n
    return {event: dict(by_status) for event, by_status in counts.items()}
