"""Back office: the outbound push, read-only and scoped by the message's region (payload masked)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditedReadAdminMixin
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.integrations.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("id", "kind", "event", "source_id", "destination", "region", "status", "attempts",
                    "next_attempt_at", "delivered_at")
    list_filter = ("status", "kind", "destination")
    search_fields = ("=source_id", "=message_id")
    list_select_related = ("region",)
    readonly_fields = ("message_id", "destination", "kind", "event", "source", "source_id", "region",
                       "payload_masked", "status", "attempts", "last_error", "next_attempt_at", "claimed_at",
                       "delivered_at", "created_at")
    exclude = ("payload", "claim_token")
    show_full_result_count = False

    @admin.display(description=_("推送内容快照"))
    def payload_masked(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.masked_payload, ensure_ascii=False, indent=2))
