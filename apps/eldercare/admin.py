"""Back office: institutions, staff and 黑名单 entries are written through the services; claims are read-only here
(their writes are the pages' and the API's: the calculator's decision and the four eyes)."""

from django.contrib import admin, messages

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.eldercare import services
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember


class ScopedAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    region_field = "region"

    def has_delete_permission(self, request, obj=None):
        return False  # a registry row is corrected, never deleted (claims and 黑名单 entries point at it)

    def _through_service(self, request, call) -> None:
        try:
            call()
        except ApplicationError as error:
            messages.error(request, error.message)
            raise


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ("name", "uscc", "ownership", "region", "beds", "older_people_served")
    list_filter = ("ownership",)
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        self._through_service(request, lambda: services.institution_save(institution=obj, user=request.user))


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    list_display = ("person", "institution", "role", "full_time", "social_worker_qualified", "skill_level",
                    "start_date", "end_date")
    list_filter = ("role", "full_time", "social_worker_qualified", "skill_level")
    search_fields = ("person__name", "=person__id_number", "institution__name")
    list_select_related = ("person", "institution")
    autocomplete_fields = ("institution", "person")
    exclude = ("created_by", "region")

    def save_model(self, request, obj, form, change):
        self._through_service(request, lambda: services.staff_save(staff=obj, user=request.user))


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Entries are listed, removed and published from the caseworker pages and the API (the services)."""

    list_display = ("subject", "institution", "person", "reason", "listed_on", "removed_on", "publicity_ends_on")
    list_filter = ("subject",)
    list_select_related = ("institution", "person")


@admin.register(IncentiveClaim)
class IncentiveClaimAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ("person", "institution", "kind", "claim_date", "amount", "status", "submitted_by", "reviewed_by")
    list_filter = ("kind", "status")
    list_select_related = ("person", "institution", "submitted_by", "reviewed_by")
