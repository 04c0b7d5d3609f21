from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.models import AccessLog, CalendarDay, Region
from apps.core.scoped_admin import RegionScopedAdminMixin

admin.site.site_header = "社会服务经办平台 · 后台管理"
admin.site.site_title = "经办平台后台"
admin.site.index_title = "后台管理"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


def _is_auditor(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "is_auditor", False))


@admin.register(AccessLog)
class AccessLogAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    """Read-only: an access log that can be edited proves nothing. Reads by users of the viewer's region."""

    region_field = "user__region"
    scoped_region_fields = ()

    list_display = ("at", "user", "action", "object_type", "object_label", "purpose", "ip_address")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "object_label", "user__username", "purpose")
    date_hierarchy = "at"

    # The audit administrator (accounts role "auditor", 三员分立) reads it by role; nothing else in the admin.
    def has_module_permission(self, request):
        return super().has_module_permission(request) or _is_auditor(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or _is_auditor(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """The working-day calendar's exceptions (holidays on weekdays, weekend days worked): national data."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "date"
