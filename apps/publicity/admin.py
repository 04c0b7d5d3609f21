"""Back office: publications are read-only (they are opened by the sources' services)."""

from django.contrib import admin

from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.publicity.models import Publication


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("id", "source", "record_id", "region", "starts_on", "ends_on", "working_days", "published_by",
                    "published_at")
    list_filter = ("source",)
    readonly_fields = ("source", "record_id", "region", "token", "published_by", "published_at", "starts_on",
                       "ends_on", "working_days", "parameter_version")

