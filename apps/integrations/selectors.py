"""Reads of the outbound push, scoped by the message's region (out of scope = 404)."""

from django.db.models import QuerySet

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.integrations.filters import OutboundMessageFilter
from apps.integrations.models import OutboundMessage


def outbound_list(*, user, filters=None) -> QuerySet[OutboundMessage]:
    messages = scope_queryset(OutboundMessage.objects.select_related("region"), user)
    return filter_or_raise(OutboundMessageFilter, filters, messages).order_by("-id")


def outbound_get(*, user, pk) -> OutboundMessage:
    return get_scoped_or_404(OutboundMessage.objects.select_related("region"), user, pk=pk)
