from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.applicants.forms import PersonAdminForm
from apps.applicants.models import DuplicateCandidate, InsuranceEnrollment, Person, StatusTag
from apps.applicants.services import enrollment_save, person_save
from apps.core.audit import AuditedReadAdminMixin
from apps.core.scoped_admin import RegionScopedAdminMixin, ScopedHistoryAdmin


@admin.register(Person)
class PersonAdmin(AuditedReadAdminMixin, RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("name", "masked_id_number", "sex", "birth_date", "region", "masked_account")
    list_filter = ("sex", "hukou_type")
    search_fields = ("name", "=id_number", "phone")
    autocomplete_fields = ("region", "hukou_region")
    readonly_fields = ("birth_date", "sex", "birthplace_code", "birthplace_known")
    list_select_related = ("region",)

    @admin.display(description=_("银行账号"))
    def masked_account(self, obj):
        return obj.masked_bank_account  # lists mask it; the change form shows it in full (a logged read)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The caseworker form's checks (digits, 开户银行 with 账号, 户名 = the person's name), the same messages.
        kwargs.setdefault("form", PersonAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        person_save(person=obj, user=request.user)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("person", "other_id_number", "status", "resolved_by", "resolved_at")
    list_filter = ("status",)
    raw_id_fields = ("person", "other")
    region_field = "person__region"
    scoped_region_fields = ()
    list_select_related = ("person",)


@admin.register(StatusTag)
class StatusTagAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    list_display = ("person", "tag", "since", "until", "source_label", "source_id")
    list_filter = ("tag",)
    raw_id_fields = ("person",)
    readonly_fields = ("source_label", "source_id")
    region_field = "person__region"
    scoped_region_fields = ()
    list_select_related = ("person",)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "tag":  # not offered to add either: the decision opens it (the form, the import alike)
            kwargs["choices"] = [choice for choice in db_field.get_choices(include_blank=db_field.blank)
                                 if choice[0] not in StatusTag.DECIDED_ELSEWHERE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A decision's own tag (a fraud finding's 暂停医保直接结算) is opened and ended by that decision only.
        if obj is not None and (obj.source_label or obj.tag in StatusTag.DECIDED_ELSEWHERE):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.source_label or obj.tag in StatusTag.DECIDED_ELSEWHERE):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(InsuranceEnrollment)
class InsuranceEnrollmentAdmin(RegionScopedAdminMixin, ScopedHistoryAdmin):
    """The enrollment's own 缴费基数 is what the maternity allowance is computed on (R2)."""

    list_display = ("person", "kind", "start_date", "end_date", "contribution_base", "months_contributed")
    list_filter = ("kind",)
    raw_id_fields = ("person",)
    region_field = "person__region"
    scoped_region_fields = ()
    list_select_related = ("person",)

    def save_model(self, request, obj, form, change):
        enrollment_save(enrollment=obj)
