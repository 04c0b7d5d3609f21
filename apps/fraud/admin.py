"""Back office. Cases are opened and moved only through the service (apps.fraud.services); findings and appeals
are the lifecycle's records, read-only here. Every list is scoped by the case's region."""

from django.contrib import admin, messages

from apps.core.audit import AuditedReadAdminMixin
from apps.core.exceptions import ApplicationError
from apps.core.lifecycle import Transition
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.fraud import services
from apps.fraud.models import Appeal, Finding, FraudCase


def _transition_action(transition: Transition):
    @admin.action(description=transition.label)
    def run(modeladmin, request, queryset):
        done = 0
        for case in queryset:
            try:
                services.case_transition(case=case, action=transition.action, user=request.user)
                done += 1
            except ApplicationError as error:
                modeladmin.message_user(request, f"#{case.pk}：{error.message}", messages.ERROR)
        modeladmin.message_user(request, f"“{transition.label}”：{done} 件已完成")

    run.__name__ = f"transition_{transition.action}"
    return run


@admin.register(FraudCase)
class FraudCaseAdmin(AuditedReadAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("id", "person_name", "masked_id", "region", "kind", "reported_on", "amount_billed", "status")
    list_filter = ("status", "kind")
    search_fields = ("=person__id_number", "person__name", "hospital")
    list_select_related = ("person", "region")
    raw_id_fields = ("person",)
    fields = ("person", "region", "kind", "reported_on", "hospital", "amount_billed", "description", "caseworker",
              "status", "status_note", "found_by", "created_by")
    readonly_fields = ("person", "region", "kind", "caseworker", "status", "status_note", "found_by", "created_by",
                       "amount_billed")
    # 认定 needs its amounts and the other moves a reason: only moves without either are offered here.
    actions = [_transition_action(t) for t in services.CASE_LIFECYCLE.transitions.values()
               if not t.needs_reason and not t.needs_form]

    def has_add_permission(self, request, obj=None):
        return False  # 立案 needs a registry person of the region: the case page and the API do it

    def has_delete_permission(self, request, obj=None):
        return False  # a case is a legal record: closed (撤销/结案) through its lifecycle, never deleted

    @admin.display(description="当事人")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return obj.masked_id_number

    def save_model(self, request, obj, form, change):
        services.case_update(case=obj, user=request.user)


@admin.register(Finding)
class FindingAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    region_field = "case__region"
    list_display = ("case", "repay_amount", "fine_amount", "suspended_from", "suspended_until", "effective_on",
                    "revoked_on")
    list_select_related = ("case", "case__person")


@admin.register(Appeal)
class AppealAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    region_field = "case__region"
    list_display = ("case", "lodged_on", "outcome", "decided_by")
    list_select_related = ("case", "case__person")
