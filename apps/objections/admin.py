"""Back office: read-only and scoped. Objections move only through the services (window, four eyes,
recompute); attachments are downloaded from the objection's page (audited), not here."""

from django.contrib import admin

from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.objections.models import Objection, ObjectionEvent


class ObjectionEventInline(admin.TabularInline):
    model = ObjectionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "user", "note", "at")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Objection)
class ObjectionAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("id", "source", "record_id", "subject_name", "disputed_label", "status", "assignee", "deadline",
                    "region")
    list_filter = ("status", "source", "channel")
    list_select_related = ("region", "assignee")
    search_fields = ("subject_name", "=subject_code")
    inlines = [ObjectionEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
