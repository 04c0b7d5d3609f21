from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from apps.core.audit import log_read
from apps.core.models import AccessLog
from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.employers.models import Contribution, Employer
from apps.employers.services import employer_save


@admin.register(Employer)
class EmployerAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "uscc", "entity_type", "industry", "employees", "region", "serious_dishonesty",
                    "masked_account")
    list_filter = ("entity_type", "industry", "serious_dishonesty")
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)

    @admin.display(description=_("银行账号"))
    def masked_account(self, obj):
        return obj.masked_bank_account  # lists mask it; the change form shows it in full (read-audited)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        employer = self.get_object(request, unquote(object_id))
        if request.method == "GET" and employer is not None and employer.bank_account:
            log_read(user=request.user, obj=employer, request=request, action=AccessLog.Action.VIEW,
                     purpose="后台查看银行账号")
        return response

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
