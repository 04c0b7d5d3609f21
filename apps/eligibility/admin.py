from django import forms
from django.contrib import admin

from apps.core.exceptions import ApplicationError
from apps.core.scoped_admin import ScopedHistoryAdmin
from apps.eligibility.models import PolicyParameter, VerificationMismatch, VerificationRun
from apps.eligibility.parameters import parameter_save, parameter_validate
from apps.eligibility.verification import kind_label


class PolicyParameterForm(forms.ModelForm):
    class Meta:
        model = PolicyParameter
        fields = ["key", "name", "value_type", "value", "unit", "valid_from", "valid_to", "region", "source_title",
                  "source_number", "source_file"]

    def clean(self):
        cleaned = super().clean() or {}
        candidate = PolicyParameter(pk=self.instance.pk, **cleaned)
        candidate._state.adding = self.instance._state.adding
        try:
            parameter_validate(candidate)
        except ApplicationError as error:
            for field, messages in error.fields.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(PolicyParameter)
class PolicyParameterAdmin(ScopedHistoryAdmin):
    form = PolicyParameterForm
    list_display = ("key", "name", "display_value", "unit", "valid_from", "valid_to", "region", "source_number",
                    "frozen")
    readonly_fields = ("frozen_at", "used_until")
    list_filter = ("value_type", "region", "key")
    search_fields = ("key", "name", "source_title", "source_number")
    date_hierarchy = "valid_from"
    autocomplete_fields = ("region",)

    @admin.display(description="参数值")
    def display_value(self, obj):
        text = str(obj.value)
        return text if len(text) < 60 else text[:57] + "…"

    @admin.display(description="已冻结", boolean=True)
    def frozen(self, obj):
        return obj.frozen_at is not None

    def has_delete_permission(self, request, obj=None):
        # A version a stored decision used is kept for ever (the decision is recomputed from it).
        if obj is not None and obj.frozen_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.filter(frozen_at__isnull=True))

    def save_model(self, request, obj, form, change):
        parameter_save(parameter=obj)


def _may_look(request) -> bool:
    """Supervisors and administrators with admin access (as the refund runs' back office)."""
    return bool(request.user.is_active and request.user.is_staff and request.user.is_supervisor)


class VerificationMismatchInline(admin.TabularInline):
    model = VerificationMismatch
    fields = ("kind", "record", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0

    def has_view_permission(self, request, obj=None):
        return _may_look(request)


@admin.register(VerificationRun)
class VerificationRunAdmin(admin.ModelAdmin):
    """决定核验: read only — runs are made by decisions_verify and the nightly job."""

    list_display = ("id", "started_at", "finished_at", "status", "checked", "mismatches", "unverifiable",
                    "by_kind_display")
    list_filter = ("status",)
    readonly_fields = ("started_at", "finished_at", "status", "kinds", "since", "checked", "mismatches",
                       "unverifiable", "by_kind", "chunks_total")
    inlines = [VerificationMismatchInline]

    @admin.display(description="分类结果")
    def by_kind_display(self, obj):
        return "；".join(f"{kind_label(kind)} {figures['checked']} 项/不一致 {figures['mismatches']}"
                        for kind, figures in (obj.by_kind or {}).items())

    def has_view_permission(self, request, obj=None):
        return _may_look(request)

    def has_module_permission(self, request):
        return _may_look(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
