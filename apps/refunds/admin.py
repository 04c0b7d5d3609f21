"""Back office: read-only. Runs change only through the services (start, approve, reject); results never."""

from django.contrib import admin

from apps.core.scoped_admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, SupervisorViewMixin
from apps.core.scoping import scope_queryset, scope_queryset_by_code
from apps.refunds.models import RefundChunk, RefundResult, RefundRun


class ReadOnlyAdmin(SupervisorViewMixin, ReadOnlyAdminMixin):
    """Supervisors and administrators with admin access may look; nobody may change anything here."""


@admin.register(RefundRun)
class RefundRunAdmin(ReadOnlyAdmin, ScopedHistoryAdmin):
    list_display = ("id", "year", "region", "is_official", "status", "employers_expected", "eligible_count",
                    "total_amount", "started_by", "first_reviewed_by", "publicity_ends_on", "decided_by")
    list_filter = ("status", "is_official", "year")

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request).select_related("region", "started_by", "decided_by"),
                              request.user)


@admin.register(RefundResult)
class RefundResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "employer_id", "region_code", "size_class", "eligible", "reasons", "amount", "version",
                    "is_current")
    list_filter = ("eligible", "size_class", "is_current")
    raw_id_fields = ("run", "employer", "supersedes")
    show_full_result_count = False  # a million rows: no COUNT(*) on every page

    def get_queryset(self, request):
        # The current versions (the run's partial unique index serves the sort); `supersedes` links the older one.
        return scope_queryset_by_code(super().get_queryset(request), request.user)


@admin.register(RefundChunk)
class RefundChunkAdmin(ReadOnlyAdmin):
    list_display = ("run", "lo_id", "hi_id", "status", "attempts", "rows", "eligible", "amount", "finished_at")
    list_filter = ("status",)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, "run__region")
