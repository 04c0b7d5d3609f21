"""Back office: institutions, staff and 黑名单 entries are written through the services; claims are read-only here
(their writes are the pages' and the API's: the calculator's decision and the four eyes)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from apps.core.audit import log_read
from apps.core.forms import BankDetailsFormMixin
from apps.core.models import AccessLog
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.eldercare import services
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember


class ScopedAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    region_field = "region"

    def has_delete_permission(self, request, obj=None):
        return False  # a registry row is corrected, never deleted (claims and 黑名单 entries point at it)


class InstitutionAdminForm(BankDetailsFormMixin, forms.ModelForm):
    """The account typed with spaces or full-width digits is normalised, then checked (apps.core.bank)."""

    class Meta:
        model = Institution
        fields = ("name", "uscc", "ownership", "region", "beds", "older_people_served", "address", "bank_name",
                  "bank_account", "bank_account_name")


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    form = InstitutionAdminForm
    list_display = ("name", "uscc", "ownership", "region", "beds", "older_people_served", "masked_account")
    list_filter = ("ownership",)
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)
    exclude = ("created_by",)

    @admin.display(description=_("银行账号"))
    def masked_account(self, obj):
        return obj.masked_bank_account  # lists mask it; the change form shows it in full (read-audited)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        institution = self.get_object(request, unquote(object_id))
        if request.method == "GET" and institution is not None and institution.bank_account:
            log_read(user=request.user, obj=institution, request=request, action=AccessLog.Action.VIEW,
                     purpose="后台查看银行账号")
        return response

    def save_model(self, request, obj, form, change):
        services.institution_save(institution=obj, user=request.user)


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
        services.staff_save(staff=obj, user=request.user)


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
