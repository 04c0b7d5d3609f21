"""Back office: notices and batches are read-only (they are written by the service only); the 文号 series
is configuration an administrator edits (prefix, format, issuer, objection channel), in their own region."""

from django.contrib import admin

from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, SupervisorViewMixin
from apps.core.scoping import scope_queryset_by_code
from apps.documents.models import Notice, NoticeBatch, NoticeSeries


class _ReadOnlyByCode(SupervisorViewMixin, ReadOnlyAdminMixin):
    """Supervisors and administrators with admin access may look, in their region; nobody changes anything."""

    def get_queryset(self, request):
        return scope_queryset_by_code(super().get_queryset(request), request.user)


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
