"""Back office. Applications are registered on the caseworker page and the API (a registry person of the region);
here a submitted one may be corrected — saved through the service, which decides again — and approved through the
same lifecycle (four eyes). Repayment periods (written by the import) and subsidy claims are read-only here."""

from django import forms
from django.contrib import admin, messages

from apps.core.audit import AuditedReadAdminMixin
from apps.core.exceptions import ApplicationError
from apps.core.forms import BankDetailsFormMixin
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.scoped_admin import ReadOnlyAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin
from apps.startup_loans import services
from apps.startup_loans.forms import LenderForm
from apps.startup_loans.models import Lender, LoanApplication, RepaymentPeriod, SubsidyClaim


def _review_action(lifecycle: Lifecycle, transition: Transition, review):
    @admin.action(description=transition.label)
    def run(modeladmin, request, queryset):
        done = 0
        for obj in queryset:
            try:
                review(obj, request.user, transition.action)
                done += 1
            except ApplicationError as error:
                modeladmin.message_user(request, f"#{obj.pk}：{error.message}", messages.ERROR)
        modeladmin.message_user(request, f"“{transition.label}”：{done} 件已完成")

    run.__name__ = f"review_{transition.action}"
    return run


def _review_application(obj, user, action):
    services.application_review(application=obj, user=user, action=action)


def _review_claim(obj, user, action):
    services.claim_review(claim=obj, user=user, action=action)


class LenderAdminForm(BankDetailsFormMixin, forms.ModelForm):
    """The caseworker form's fields and account normalising; the admin limits the region choices itself."""

    class Meta(LenderForm.Meta):
        field_classes: dict = {}


@admin.register(Lender)
class LenderAdmin(AuditedReadAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    """经办银行名录: saved through lender_save (USCC, account and region checked there); nothing deleted (loans
    point at it)."""

    form = LenderAdminForm
    list_display = ("name", "uscc", "region", "bank_name", "masked_account", "bank_account_name")
    search_fields = ("name", "=uscc")
    list_select_related = ("region",)

    @admin.display(description="银行账号")
    def masked_account(self, obj):
        return obj.masked_bank_account  # lists mask it; the change form shows it in full (read-audited)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.lender_save(user=request.user, lender=obj)


@admin.register(LoanApplication)
class LoanApplicationAdmin(AuditedReadAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("reference", "person_name", "masked_id", "region", "business_name", "amount_requested",
                    "guaranteed_amount", "term_months", "application_date", "eligible", "status")
    list_filter = ("status", "eligible")
    search_fields = ("reference", "=person__id_number", "person__name", "business_name")
    list_select_related = ("person", "region")
    fields = ("reference", "person", "region", "application_date", "business_name", "business_uscc",
              "amount_requested", "term_months", "lender", "lender_bank", "target_groups", "eligible", "guaranteed_amount",
              "interest_subsidy_share", "determination", "status", "created_by", "reviewed_by", "reviewed_at",
              "review_note")
    readonly_fields = ("reference", "person", "region", "target_groups", "eligible", "guaranteed_amount",
                       "interest_subsidy_share", "determination", "status", "created_by", "reviewed_by",
                       "reviewed_at", "review_note")
    actions = [_review_action(services.APPLICATION_LIFECYCLE, t, _review_application)
               for t in services.APPLICATION_LIFECYCLE.transitions.values() if not t.needs_reason]

    def has_add_permission(self, request, obj=None):
        return False  # 申请 needs a registry person of the region: the application page and the API do it

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="申请人")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return obj.masked_id_number

    def save_model(self, request, obj, form, change):
        services.application_update(application=obj, user=request.user, data=services.ApplicationInput(
            application_date=obj.application_date, business_name=obj.business_name,
            business_uscc=obj.business_uscc, amount_requested=obj.amount_requested, term_months=obj.term_months,
            lender_bank=obj.lender_bank, lender_id=obj.lender_id))


@admin.register(RepaymentPeriod)
class RepaymentPeriodAdmin(ReadOnlyAdminMixin, RegionScopedAdminMixin):
    list_display = ("application", "period", "due_date", "principal", "interest", "paid_date", "claim")
    list_select_related = ("application", "application__person")
    search_fields = ("application__reference",)


@admin.register(SubsidyClaim)
class SubsidyClaimAdmin(AuditedReadAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("id", "application", "region", "periods_count", "interest_total", "amount", "status",
                    "created_by", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("application", "application__person", "region", "created_by", "reviewed_by")
    readonly_fields = ("application", "region", "status", "periods_count", "interest_total", "amount", "explanation",
                       "created_by", "reviewed_by", "reviewed_at", "review_note", "issued_at", "paid_at")
    actions = [_review_action(services.CLAIM_LIFECYCLE, t, _review_claim)
               for t in services.CLAIM_LIFECYCLE.transitions.values() if not t.needs_reason]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
