"""Back office. Records are scoped like everywhere else; adds, edits and moves go through the services, whose
refusals are shown on the change form under their field (apps.core.scoped_admin.ServiceRefusalAdminMixin)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.gig import services
from apps.gig.models import Availability, AvailabilityTrade, Broker, FollowUp, Placement, Posting


class ScopedAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    pass


@admin.action(description="注销（须填写原因）")
def deregister_brokers(modeladmin, request, queryset):
    done = 0
    for broker in queryset:
        note = request.POST.get("note", "").strip()
        if not note:
            modeladmin.message_user(request, f"{broker}：请填写注销原因。", messages.ERROR)
            continue
        try:
            services.broker_deregister(broker=broker, user=request.user, note=note)
            done += 1
        except ApplicationError as error:
            modeladmin.message_user(request, f"{broker}：{error.message}", messages.ERROR)
    modeladmin.message_user(request, f"“注销”：{done} 名已完成")


class ReasonActionForm(ActionForm):
    note = forms.CharField(label="原因", max_length=300, required=False)


@admin.register(Broker)
class BrokerAdmin(ScopedAdmin):
    list_display = ("person", "region", "phone", "status", "registered_on", "deregistered_on")
    list_filter = ("status",)
    search_fields = ("person__name",)
    autocomplete_fields = ("person", "region")
    readonly_fields = ("status", "deregistered_on")  # 注销 is the action (services.broker_deregister)
    action_form = ReasonActionForm
    actions = [deregister_brokers]

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "person") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.broker_update(broker=obj, user=request.user)
        else:
            services.broker_register(broker=obj, user=request.user)


@admin.register(Posting)
class PostingAdmin(ScopedAdmin):
    list_display = ("title", "trade", "employer", "broker", "pay", "pay_unit", "headcount", "start_date",
                    "end_date", "region", "status")
    list_filter = ("status", "trade")
    search_fields = ("title", "address")
    autocomplete_fields = ("employer", "broker", "region")
    readonly_fields = ("status", "created_by")

    def save_model(self, request, obj, form, change):
        if change:
            services.posting_update(posting=obj, user=request.user)
        else:
            services.posting_create(posting=obj, user=request.user)


class AvailabilityTradeInline(admin.TabularInline):
    model = AvailabilityTrade
    extra = 1


@admin.action(description="停止求职（须填写原因）")
def close_availabilities(modeladmin, request, queryset):
    done = 0
    for availability in queryset:
        try:
            services.availability_close(availability=availability, user=request.user,
                                        note=request.POST.get("note", ""))
            done += 1
        except ApplicationError as error:
            modeladmin.message_user(request, f"{availability}：{error.message}", messages.ERROR)
    modeladmin.message_user(request, f"“停止求职”：{done} 条已完成")


@admin.register(Availability)
class AvailabilityAdmin(ScopedAdmin):
    list_display = ("person", "region", "available_from", "available_to", "expected_pay", "pay_unit", "status",
                    "closed_on")
    list_filter = ("status",)
    search_fields = ("person__name",)
    autocomplete_fields = ("person", "region")
    readonly_fields = ("status", "closed_on", "close_reason")  # 停止求职 is the action (the service), not a field
    inlines = [AvailabilityTradeInline]
    action_form = ReasonActionForm
    actions = [close_availabilities]

    def has_add_permission(self, request):
        return False  # registered on the page or the API (services.availability_register checks the trades)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ("visited_on", "outcome", "pay_received", "note", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # follow-ups are recorded on the posting page or the API (services.follow_up_record)


@admin.register(Placement)
class PlacementAdmin(ScopedAdmin):
    region_field = "posting__region"
    scoped_region_fields = ()
    list_display = ("availability", "posting", "broker", "start_date", "outcome", "pay_received")
    list_filter = ("outcome",)
    readonly_fields = ("posting", "availability", "broker", "start_date", "outcome", "pay_received",
                       "match_reasons", "created_by")
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        return False  # a placement is made against the posting's headcount: the page or the API
