"""Back office. Region-bound records are scoped like everywhere else; writes go through the services."""

from django.contrib import admin, messages

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import RelatedChoicesScopedMixin, ScopedHistoryAdmin
from apps.core.scoping import scope_queryset
from apps.training import services
from apps.training.models import (
    Certificate,
    Enrollment,
    EnrollmentTransition,
    FollowUp,
    Occupation,
    Program,
    Provider,
    ShortageReport,
    TrainingSubsidyClaim,
    TrainingWillingness,
    WorklistItem,
)
from apps.training.services import ENROLLMENT_LIFECYCLE


class ScopedAdmin(ScopedHistoryAdmin):
    region_field = "region"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.region_field)


@admin.register(Occupation)
class OccupationAdmin(ScopedHistoryAdmin):
    list_display = ("code", "name", "kind", "category", "parent", "is_new", "licence_name", "is_active")
    list_filter = ("kind", "category", "is_new", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Provider)
class ProviderAdmin(ScopedAdmin):
    list_display = ("name", "uscc", "provider_type", "region", "accreditation_number", "accredited_until",
                    "is_active")
    list_filter = ("provider_type", "is_active")
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)


@admin.register(Program)
class ProgramAdmin(ScopedAdmin):
    list_display = ("code", "name", "provider", "occupation", "target_level", "funding_channel",
                    "dual_certificate", "capacity", "start_date", "end_date")
    list_filter = ("funding_channel", "dual_certificate", "target_level")
    search_fields = ("code", "name")
    autocomplete_fields = ("provider", "occupation", "region")
    filter_horizontal = ("shortages", "willingness")

    def save_model(self, request, obj, form, change):
        services.program_save(program=obj, user=request.user)


@admin.register(ShortageReport)
class ShortageReportAdmin(ScopedAdmin):
    list_display = ("employer", "occupation", "count", "wage_min", "wage_max", "reported_on", "region")
    autocomplete_fields = ("employer", "occupation", "region")

    def save_model(self, request, obj, form, change):
        services.shortage_report_create(report=obj, user=request.user)


@admin.register(TrainingWillingness)
class TrainingWillingnessAdmin(ScopedAdmin):
    list_display = ("person", "occupation", "target_group", "registered_on", "region")
    autocomplete_fields = ("person", "occupation", "region")


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0


class TransitionInline(admin.TabularInline):
    model = EnrollmentTransition
    extra = 0
    readonly_fields = ("action", "from_status", "to_status", "by", "at", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _transition_action(name: str):
    """An admin action per lifecycle move, labelled from the same table the UI and the API read."""
    label = ENROLLMENT_LIFECYCLE.label(name)

    @admin.action(description=f"状态操作：{label}")
    def run(modeladmin, request, queryset):
        done = 0
        for enrollment in queryset:
            try:
                services.enrollment_transition(enrollment=enrollment, action=name, user=request.user,
                                               note="后台批量操作")
                done += 1
            except ApplicationError as error:
                modeladmin.message_user(request, f"{enrollment}：{error.message}", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{done} 条记录已{label}", messages.SUCCESS)

    run.__name__ = f"transition_{name}"
    return run


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedAdmin):
    """Status changes only through the lifecycle (actions below), never by editing the field."""

    list_display = ("person", "masked_id_number", "program", "target_group", "status", "region")
    list_filter = ("status", "target_group")
    search_fields = ("person__name", "=person__id_number", "program__code")
    list_select_related = ("person", "program", "region")
    autocomplete_fields = ("person", "program", "region", "employer")
    readonly_fields = ("status", "employment_verified_at", "employment_verified_by", "completed_on")
    inlines = [CertificateInline, TransitionInline]
    actions = [_transition_action(name) for name in ("enroll", "start", "complete", "drop_out", "claim_subsidy",
                                                       "approve", "pay")]


@admin.register(TrainingSubsidyClaim)
class SubsidyClaimAdmin(ScopedAdmin):
    region_field = "enrollment__region"
    list_display = ("person", "kind", "occupation", "level", "amount", "status", "created_at")
    list_filter = ("kind", "status")
    readonly_fields = ("enrollment", "person", "occupation", "level", "kind", "amount", "explanation",
                       "parameter_versions", "claimed_by", "reviewed_by", "reviewed_at", "published_at",
                       "publicity_starts_on", "publicity_ends_on", "approved_by", "approved_at", "paid_at", "status")

    def has_add_permission(self, request):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    region_field = "enrollment__region"
    list_display = ("enrollment", "months", "due_on", "done_on", "employment_status", "monthly_wage")
    list_filter = ("months", "employment_status")
    raw_id_fields = ("enrollment",)


@admin.register(WorklistItem)
class WorklistItemAdmin(RelatedChoicesScopedMixin, admin.ModelAdmin):
    list_display = ("follow_up", "kind", "region", "due_on", "resolved_at")
    list_filter = ("kind",)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)
