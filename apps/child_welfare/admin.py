"""Back office. Querysets go through the case access rule; saves go through the services (version-checked)."""

from typing import ClassVar

from django import forms
from django.contrib import admin, messages

from apps.child_welfare import selectors, services
from apps.child_welfare.lifecycle import CASE_LIFECYCLE
from apps.child_welfare.models import (
    Assessment,
    AssessmentDomain,
    Case,
    CaseCategory,
    CaseGuardian,
    CaseTransition,
    CharityResource,
    ChildrenDirector,
    Escalation,
    PlanItem,
    Referral,
    RiskChange,
    Visit,
)
from apps.core import audit
from apps.core.exceptions import ApplicationError
from apps.core.lifecycle import Transition
from apps.core.scoped_admin import ScopedHistoryAdmin
from apps.core.scoping import scope_queryset


class CategoryInline(admin.TabularInline):
    model = CaseCategory
    extra = 0


class GuardianInline(admin.TabularInline):
    model = CaseGuardian
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    """A record of what happened: shown, never added or deleted by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    readonly_fields = ("action", "from_status", "to_status", "reason", "closure_reason", "from_region", "to_region",
                       "by", "at")


class RiskInline(ReadOnlyInline):
    model = RiskChange
    readonly_fields = ("from_level", "to_level", "reason", "by", "at")


class CaseAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = ["child", "region", "referral_source", "reported_on", *services.CASE_EDITABLE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version


def _transition_action(transition: Transition):
    @admin.action(description=transition.label)
    def run(modeladmin, request, queryset):
        done = 0
        for case in queryset:
            try:
                services.case_transition(user=request.user, case_id=case.pk, action=transition.action,
                                         reason="后台批量操作")
                done += 1
            except ApplicationError as error:
                modeladmin.message_user(request, f"{case.reference}：{error.message}", messages.ERROR)
        modeladmin.message_user(request, f"“{transition.label}”：{done} 个个案已完成")

    run.__name__ = f"transition_{transition.action}"
    return run


@admin.register(Case)
class CaseAdmin(ScopedHistoryAdmin):
    form = CaseAdminForm
    list_display = ("reference", "masked_child", "region", "status", "risk_level", "assigned_worker", "next_visit_due")
    list_filter = ("status", "risk_level", "referral_source")
    search_fields = ("=child__id_number", "child__name")
    raw_id_fields = ("child", "assigned_worker", "director")
    readonly_fields = ("status", "risk_level", "closure_reason", "closed_on", "last_visit_on", "next_visit_due",
                       "next_review_due", "version")
    inlines = [CategoryInline, GuardianInline, RiskInline, TransitionInline]
    # Close and reopen need a reason (and a target region for a move): the case page and the API ask for it.
    actions = [_transition_action(t) for t in CASE_LIFECYCLE.transitions.values()
               if not t.needs_reason]

    @admin.display(description="儿童")
    def masked_child(self, obj):
        return obj.masked_child_name

    def get_queryset(self, request):
        return selectors.case_queryset(request.user, super().get_queryset(request).select_related(
            "child", "region", "assigned_worker"))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "GET":
            audit.log_read(user=request.user, obj=obj, request=request)
        return obj

    def save_model(self, request, obj, form, change):
        if not change:
            # Reported through the service like every other case: the region check, the first recorded step,
            # the first visit scheduled. A refusal escapes to the error page (the admin's atomic block rolls back).
            details = {name: form.cleaned_data[name] for name in services.CASE_EDITABLE
                       if name in form.cleaned_data and name != "referral_source"}
            case = services.case_report(user=request.user, child_id_number=obj.child.id_number,
                                        child_name=obj.child.name, region_code=obj.region_id,
                                        referral_source=obj.referral_source, reported_on=obj.reported_on, **details)
            obj.pk = case.pk
            obj.refresh_from_db()
            return
        data = {name: form.cleaned_data[name] for name in form.changed_data
                if name in services.CASE_EDITABLE}
        try:
            services.case_update(user=request.user, case_id=obj.pk, expected_version=form.cleaned_data.get(
                "expected_version") or obj.version, data=data)
        except ApplicationError as error:
            self.message_user(request, f"未保存：{error.message}", messages.ERROR)


class DomainInline(admin.TabularInline):
    model = AssessmentDomain
    extra = 0


class CaseFieldScopedMixin(admin.ModelAdmin):
    """The `case` of a record picked in the back office is one the user may open: the raw-id field validates
    against the access rule, so typing another region's case id is refused like a search for it."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "case":
            kwargs["queryset"] = selectors.case_queryset(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(CaseFieldScopedMixin, ScopedHistoryAdmin):
    list_display = ("case", "assessed_on", "assessor", "version")
    raw_id_fields = ("case", "assessor")
    readonly_fields = ("version",)
    inlines = [DomainInline]

    def get_queryset(self, request):
        return selectors.assessment_list(user=request.user)


class CaseChildAdmin(CaseFieldScopedMixin, ScopedHistoryAdmin):
    raw_id_fields: ClassVar[tuple[str, ...]] = ("case",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=selectors.case_queryset(request.user).values("pk"))


@admin.register(PlanItem)
class PlanItemAdmin(CaseChildAdmin):
    list_display = ("case", "domain", "goal", "responsible_name", "due_date", "status")
    list_filter = ("domain", "status", "responsible_type")


@admin.register(Visit)
class VisitAdmin(CaseChildAdmin):
    list_display = ("case", "visited_on", "visitors", "child_seen")
    raw_id_fields = ("case", "recorded_by")


@admin.register(Referral)
class ReferralAdmin(CaseChildAdmin):
    list_display = ("case", "target_type", "target_name", "domain", "status", "referred_on", "responded_on")
    list_filter = ("target_type", "status", "domain")
    raw_id_fields = ("case", "referred_by", "resource")


@admin.register(Escalation)
class EscalationAdmin(CaseFieldScopedMixin, admin.ModelAdmin):
    list_display = ("case", "due_on", "raised_on", "supervisor", "resolved_at")
    list_filter = ("resolved_at",)
    raw_id_fields = ("case", "supervisor")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(case__in=selectors.case_queryset(request.user).values("pk"))


@admin.register(ChildrenDirector)
class ChildrenDirectorAdmin(ScopedHistoryAdmin):
    list_display = ("name", "community", "region", "phone", "active")
    list_filter = ("active",)
    search_fields = ("name", "community")
    autocomplete_fields = ("region",)
    raw_id_fields = ("user",)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request).select_related("region"), request.user)

    def save_model(self, request, obj, form, change):
        services.director_save(director=obj)


@admin.register(CharityResource)
class CharityResourceAdmin(ScopedHistoryAdmin):
    list_display = ("name", "provider", "provider_type", "domain", "region", "capacity", "active")
    list_filter = ("provider_type", "domain", "active")
    search_fields = ("name", "provider")
    autocomplete_fields = ("region",)

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request).select_related("region"), request.user)
