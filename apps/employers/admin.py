from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.scoping import scope_queryset
from apps.employers.models import Contribution, Employer
from apps.employers.services import employer_save


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "uscc", "entity_type", "industry", "employees", "region", "serious_dishonesty")
    list_filter = ("entity_type", "industry", "serious_dishonesty")
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)

    def save_model(self, request, obj, form, change):
        employer_save(employer=obj)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request).select_related("region"), request.user)


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ("employer", "period", "insured_headcount", "amount_due", "paid_employer", "paid_employee",
                    "late_fee")
    search_fields = ("=employer__uscc", "employer__name")
    raw_id_fields = ("employer",)
    date_hierarchy = "period"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request).select_related("employer"), request.user,
                              "employer__region")
