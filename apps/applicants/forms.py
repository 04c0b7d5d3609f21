from typing import TYPE_CHECKING

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from apps.applicants.bank_details import person_bank_details
from apps.applicants.models import HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.core.forms import BankDetailsFormMixin, RegionChoiceField, limit_choices
from apps.core.models import Region
from apps.core.scoping import visible_regions


class DateInput(forms.DateInput):
    input_type = "date"


PERSON_FIELDS = ["name", "id_number", "phone", "hukou_type", "hukou_region", "region", "address", "bank_name",
                 "bank_account", "bank_account_name"]


class PersonBankDetailsMixin(BankDetailsFormMixin):
    """The person's own bank account (a subsidy is paid to them), on the caseworker form and in the admin:
    开户银行 and 账号 together or neither, 户名 the person's name — filled in from 姓名 when left empty,
    refused when it is someone else's (the payment's readiness check refuses it too, apps.core.bank)."""

    if TYPE_CHECKING:  # forms.BaseForm's, which follows this mixin in the MRO
        @property
        def errors(self) -> ErrorDict: ...

        def add_error(self, field: str | None, error) -> None: ...

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        if "bank_account" in self.errors:
            return data  # the number itself is wrong: its own message says why
        cleaned, problems = person_bank_details(name=data.get("name") or "", bank_name=data.get("bank_name") or "",
                                                account=data.get("bank_account") or "",
                                                account_name=data.get("bank_account_name") or "")
        for problem in problems:
            self.add_error(problem.field, problem.message)
        data.update(cleaned)
        return data


class PersonForm(PersonBankDetailsMixin, forms.ModelForm):
    """Birth date, sex and birthplace are not on the form: they are read from the ID number."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        error_messages = {"id_number": {"unique": _("该身份证号已登记。")}}
        field_classes = {"region": RegionChoiceField, "hukou_region": RegionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "region", _regions_for(user))
        # A hukou may be registered anywhere: every county, not only the user's.
        limit_choices(self, "hukou_region", Region.objects.filter(level="county").select_related("parent"))



def _regions_for(user):
    """The counties the user may register people in (their own region and below)."""
    return visible_regions(user, levels=[Region.Level.COUNTY])


class StatusTagForm(forms.ModelForm):
    class Meta:
        model = StatusTag
        fields = ["tag", "since", "until", "note"]
        widgets = {"since": DateInput(), "until": DateInput()}

    DECIDED_ELSEWHERE = StatusTag.DECIDED_ELSEWHERE  # given by another programme's decision, not typed here

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["tag"]
        field.choices = [c for c in field.choices if c[0] not in self.DECIDED_ELSEWHERE]  # type: ignore[attr-defined]


class EnrollmentForm(forms.ModelForm):
    class Meta:
        model = InsuranceEnrollment
        fields = ["kind", "start_date", "end_date", "contribution_base", "months_contributed"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class MemberForm(forms.Form):
    """Add a household member by ID number; a child or relative not yet registered is created here."""

    id_number = forms.CharField(label=_("成员身份证号"), max_length=18)
    name = forms.CharField(label=_("成员姓名"), max_length=50, required=False,
                           help_text=_("成员尚未登记时必填；已登记的按身份证号找到已有记录。"))
    relation = forms.ChoiceField(label=_("与户主关系"),
                                 choices=[c for c in HouseholdMember.Relation.choices if c[0] != "head"])


class PersonAdminForm(PersonBankDetailsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
