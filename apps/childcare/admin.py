"""Back office. Every save goes through the service that the UI and the API use; lists are scoped."""

from django.contrib import admin, messages

from apps.childcare.models import (
    Attendance,
    ClaimRun,
    Enrollment,
    EnrollmentGuardian,
    Finding,
    Inspection,
    Institution,
    OperatingSubsidyClaim,
    StaffMember,
)
from apps.childcare.services import attendance as attendance_services
from apps.childcare.services import claims as claim_services
from apps.childcare.services import enrollments as enrollment_services
from apps.childcare.services import institutions as services
from apps.core.audit import AuditedReadAdminMixin
from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import ScopedHistoryAdmin
from apps.core.scoping import scope_queryset, user_can_see_region


class ScopedAdmin(ScopedHistoryAdmin):
    region_field = "region"

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.region_field)


class StaffInline(admin.TabularInline):
    model = StaffMember
    extra = 0
    fields = ("name", "post", "qualification", "certificate_number", "hired_on", "left_on")


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ("name", "uscc", "category", "region", "status", "inclusive_certified_from", "inclusive_certified_to")
    list_filter = ("category", "status", "community_embedded", "home_based", "medical_integrated")
    search_fields = ("name", "=uscc")
    autocomplete_fields = ("region",)
    inlines = [StaffInline]

    def save_model(self, request, obj, form, change):
        # The region list here is not limited to the user's region: refuse one outside it (core.scoping).
        if not user_can_see_region(request.user, obj.region_id):
            raise ApplicationError("region_out_of_scope", "只能登记本区划内的机构", {"region": ["不在您的经办区划"]})
        services.institution_save(institution=obj)

    def save_formset(self, request, form, formset, change):
        for staff in formset.save(commit=False):
            services.staff_member_save(staff=staff)
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    region_field = "institution__region"
    list_display = ("name", "institution", "post", "qualification", "hired_on", "left_on")
    list_filter = ("post", "qualification")
    search_fields = ("name", "institution__name")
    list_select_related = ("institution",)
    raw_id_fields = ("institution",)

    def save_model(self, request, obj, form, change):
        services.staff_member_save(staff=obj)


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ("severity", "description", "rectification_deadline", "status", "rectified_on", "follow_up")


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    region_field = "institution__region"
    list_display = ("institution", "kind", "visited_on", "inspector")
    list_filter = ("kind",)
    search_fields = ("institution__name",)
    date_hierarchy = "visited_on"
    list_select_related = ("institution",)
    raw_id_fields = ("institution",)
    inlines = [FindingInline]

    def save_model(self, request, obj, form, change):
        services.inspection_save(inspection=obj)

    def save_formset(self, request, form, formset, change):
        for finding in formset.save(commit=False):
            services.finding_save(finding=finding)
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(Finding)
class FindingAdmin(ScopedAdmin):
    region_field = "inspection__institution__region"
    list_display = ("description", "inspection", "severity", "status", "rectification_deadline")
    list_filter = ("severity", "status")
    list_select_related = ("inspection", "inspection__institution")
    raw_id_fields = ("inspection",)

    def save_model(self, request, obj, form, change):
        services.finding_save(finding=obj)


class GuardianInline(admin.TabularInline):
    model = EnrollmentGuardian
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Enrollment)
class EnrollmentAdmin(AuditedReadAdminMixin, ScopedAdmin):
    region_field = "institution__region"
    list_display = ("child", "masked_id_number", "institution", "age_group", "start_date", "end_date")
    list_filter = ("age_group",)
    search_fields = ("child__name", "=child__id_number", "institution__name")
    list_select_related = ("child", "institution")
    raw_id_fields = ("child", "institution")
    inlines = [GuardianInline]

    def save_model(self, request, obj, form, change):
        enrollment_services.enrollment_save(enrollment=obj)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    region_field = "enrollment__institution__region"
    list_display = ("enrollment", "month", "days_present")
    list_select_related = ("enrollment", "enrollment__child", "enrollment__institution")
    raw_id_fields = ("enrollment",)
    date_hierarchy = "month"

    def save_model(self, request, obj, form, change):
        attendance_services.attendance_record(enrollment=obj.enrollment, month=obj.month,
                                              days_present=obj.days_present)


@admin.register(OperatingSubsidyClaim)
class SubsidyClaimAdmin(ScopedAdmin):
    """Claims change only through their workflow: read-only here, with the workflow as actions."""

    region_field = "institution__region"
    list_display = ("institution", "year", "status", "child_months", "amount", "submitted_by", "reviewed_by")
    list_filter = ("status", "year", "institution__category")
    search_fields = ("institution__name", "=institution__uscc")
    list_select_related = ("institution", "submitted_by", "reviewed_by")
    actions = ["recompute", "publish", "approve"]  # the workflow's moves go through CLAIM_LIFECYCLE like the UI's

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OperatingSubsidyClaim._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="重新测算所选申报（仅限未提交/已退回）")
    def recompute(self, request, queryset):
        self._each(request, queryset, lambda c: claim_services.claim_compute(institution=c.institution, year=c.year,
                                                                            user=request.user))

    @admin.action(description=f"{claim_services.CLAIM_LIFECYCLE.label('publish')}所选申报")
    def publish(self, request, queryset):
        self._each(request, queryset, lambda c: claim_services.claim_transition(claim=c, action="publish",
                                                                               user=request.user))

    @admin.action(description=f"{claim_services.CLAIM_LIFECYCLE.label('approve')}所选申报")
    def approve(self, request, queryset):
        self._each(request, queryset, lambda c: claim_services.claim_transition(claim=c, action="approve",
                                                                               user=request.user))

    def _each(self, request, queryset, call):
        done = 0
        for claim in queryset:
            try:
                call(claim)
                done += 1
            except ApplicationError as error:
                self.message_user(request, f"{claim}：{error.message}", messages.ERROR)
        if done:
            self.message_user(request, f"已处理 {done} 条申报", messages.SUCCESS)


@admin.register(ClaimRun)
class ClaimRunAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "status", "processed", "total", "computed", "skipped", "failed", "created_by")
    list_filter = ("status", "year")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ClaimRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)
