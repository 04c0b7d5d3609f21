from django.contrib import admin

from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.employers.models import Contribution, Employer
from apps.employers.services import employer_save


@admin.register(Employer)
class EmployerAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "uscc", "entity_type", "industry", "employees", "region", "serious_dishonesty")
    list_filter = ("entity_type", "industry", "serious_dishonesty")
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)

    def save_model(self, request, obj, form, change):
        employer_save(employer=obj, user=request.user)


@admin.register(Contribution)
class ContributionAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("employer", "period", "insured_headcount", "amount_due", "paid_employer", "paid_employee",
                    "late_fee")
    search_fields = ("=employer__uscc", "employer__name")
    raw_id_fields = ("employer",)
    date_hierarchy = "period"
    region_field = "employer__region"
    scoped_region_fields = ()
    list_select_related = ("employer",)
