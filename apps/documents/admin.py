"""Back office: notices and batches are read-only (they are written by the service only); the 文号 series
is configuration an administrator edits (prefix, format, issuer, objection channel), in their own region."""

from django.contrib import admin

from apps.core.scoped_admin import RegionScopedAdminMixin
from apps.core.scoping import scope_queryset_by_code
from apps.documents.models import Notice, NoticeBatch, NoticeSeries


class _ReadOnlyByCode(admin.ModelAdmin):
    """Supervisors and administrators with admin access may look, in their region; nobody changes anything."""

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff and request.user.is_supervisor)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        return scope_queryset_by_code(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(_ReadOnlyByCode):
    list_display = ("number", "version", "recipient", "recipient_code", "amount", "is_draft", "generated_at",
                    "superseded_at", "source", "source_id")
    list_filter = ("source", "is_draft")
    search_fields = ("=number", "=code")
    exclude = ("facts",)
    show_full_result_count = False


@admin.register(NoticeBatch)
class NoticeBatchAdmin(_ReadOnlyByCode):
    list_display = ("id", "source", "source_id", "status", "done", "total", "started_by", "created_at", "finished_at")
    list_filter = ("status", "source")
    list_select_related = ("started_by",)


@admin.register(NoticeSeries)
class NoticeSeriesAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ("source", "region", "prefix", "number_format", "issuer")
    list_select_related = ("region",)
