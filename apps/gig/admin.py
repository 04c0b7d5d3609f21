"""Back office. Records are scoped like everywhere else; creates go through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.gig import services
from apps.gig.models import Availability, AvailabilityTrade, Broker, FollowUp, Placement, Posting


class ScopedAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    pass


@admin.register(Broker)
class BrokerAdmin(ScopedAdmin):
    list_display = ("person", "region", "phone", "status", "registered_on", "deregistered_on")
    list_filter = ("status",)
    search_fields = ("person__name",)
    autocomplete_fields = ("person", "region")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
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
            super().save_model(request, obj, form, change)
        else:
            services.posting_create(posting=obj, user=request.user)


class AvailabilityTradeInline(admin.TabularInline):
    model = AvailabilityTrade
    extra = 1


class AvailabilityActionForm(ActionForm):
    note = forms.CharField(label="原因", max_length=300, required=False)


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
    action_form = AvailabilityActionForm
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
