from django import forms
from django.contrib import admin

from apps.core.audit import AuditedReadAdminMixin
from apps.core.exceptions import ApplicationError
from apps.core.forms import add_service_error
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.models import (
    BenefitMatch,
    Determination,
    PolicyParameter,
    VerificationMismatch,
    VerificationRun,
)
from apps.eligibility.parameters import parameter_save, parameter_validate
from apps.eligibility.verification import kind_label


class PolicyParameterForm(forms.ModelForm):
    class Meta:
        model = PolicyParameter
        fields = ["key", "name", "value_type", "value", "unit", "valid_from", "valid_to", "region", "source_title",
                  "source_number", "source_issuer", "source_date", "source_note", "source_file"]

    def clean(self):
        cleaned = super().clean() or {}
        candidate = PolicyParameter(pk=self.instance.pk, **cleaned)
        candidate._state.adding = self.instance._state.adding
        try:
            parameter_validate(candidate)
        except ApplicationError as error:
            add_service_error(self, error)
        return cleaned


@admin.register(PolicyParameter)
class PolicyParameterAdmin(ScopedHistoryAdmin):
    form = PolicyParameterForm
    list_display = ("key", "name", "display_value", "unit", "valid_from", "valid_to", "region", "source_display",
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

    @admin.display(description="依据")
    def source_display(self, obj):
        return obj.source  # title, issuer, 文号 and the note (示例值 …); never the archive file

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


class CalculatorFilter(admin.SimpleListFilter):
    """测算项目 by its Chinese title, every registered calculator (the births programmes among them)."""

    title = "测算项目"
    parameter_name = "calculator"

    def lookups(self, request, model_admin):
        return [(name, entry.title) for name, entry in CALCULATORS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(calculator=self.value()) if self.value() else queryset


def _steps(result: dict) -> str:
    return "\n".join(f"{s['label']}：{s['formula']} → {s['value']}" for s in (result or {}).get("steps", []))


@admin.register(Determination)
class DeterminationAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    """待遇测算决定: read only — stored by the caseworker UI and the API (determination_create)."""

    list_display = ("id", "calculator_title", "label", "person", "eligible", "amount", "as_of", "region",
                    "created_by", "created_at")
    list_filter = (CalculatorFilter, "eligible")
    list_select_related = ("person", "region", "created_by")
    search_fields = ("label",)
    readonly_fields = ("calculator_title", "label", "person", "employer", "as_of", "region", "eligible", "amount",
                       "explanation", "facts", "parameter_versions", "calculator_version", "fingerprint",
                       "created_by", "created_at")
    fields = readonly_fields

    @admin.display(description="计算过程")
    def explanation(self, obj):
        return _steps(obj.result)


@admin.register(BenefitMatch)
class BenefitMatchAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    """主动发现 leads: read only — made by the daily matching job, handled on the caseworker's 主动发现 page."""

    list_display = ("id", "calculator_title", "label", "person", "year", "amount", "status", "resolved_by",
                    "created_at")
    list_filter = (CalculatorFilter, "status", "year")
    list_select_related = ("person", "resolved_by")
    search_fields = ("label",)
    region_field = "person__region"
    scoped_region_fields = ()
    readonly_fields = ("calculator_title", "label", "person", "year", "as_of", "amount", "status", "explanation",
                       "facts", "note", "resolved_by", "resolved_at", "created_at")
    fields = readonly_fields

    @admin.display(description="计算过程")
    def explanation(self, obj):
        return _steps(obj.result)
