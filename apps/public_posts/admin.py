"""Back office: posts are written through the service; placements and runs are read-only here (their writes are
the caseworker pages' and the API's: the 就业困难 check, the places, the four eyes)."""

from django.contrib import admin

from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.public_posts import services
from apps.public_posts.models import Placement, PublicPost, Renewal, SubsidyLine, SubsidyRun


class ScopedAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    region_field = "region"


@admin.register(PublicPost)
class PublicPostAdmin(ScopedAdmin):
    list_display = ("name", "post_type", "employer_name", "region", "places", "start_date", "end_date", "status")
    list_filter = ("post_type", "status")
    search_fields = ("name", "employer_name")
    autocomplete_fields = ("employer", "region")
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        services.post_save(post=obj, user=request.user)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RenewalInline(_ReadOnlyInline):
    model = Renewal


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("person", "post", "region", "start_date", "agreed_end_date", "status", "exit_date")
    list_filter = ("status", "exit_reason", "extended_to_retirement")
    search_fields = ("person__name", "=person__id_number", "post__name")
    list_select_related = ("person", "post", "region")
    inlines = [RenewalInline]


class SubsidyLineInline(_ReadOnlyInline):
    model = SubsidyLine
    fields = ("person", "placement", "days_in_post", "days_in_month", "amount")
    readonly_fields = fields


@admin.register(SubsidyRun)
class SubsidyRunAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("month", "region", "status", "placements_done", "total_amount", "started_by", "reviewed_by")
    list_filter = ("status",)
    inlines = [SubsidyLineInline]
