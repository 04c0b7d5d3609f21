from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BankDetailsFormMixin
from apps.core.validators import validate_id_number
from apps.eldercare.models import HONOUR_CHOICES, KIND_CHOICES, Institution, StaffMember

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class InstitutionForm(BankDetailsFormMixin, forms.ModelForm):
    """The bank details are the institution's 单位银行结算账户 (就业见习补贴 and 社会保险补贴 are paid into it)."""

    class Meta:
        model = Institution
        fields = ["name", "uscc", "ownership", "region", "beds", "older_people_served", "address", "bank_name",
                  "bank_account", "bank_account_name"]

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            _choices(self, "region").queryset = regions


class StaffForm(forms.ModelForm):
    """The person is looked up by ID number in the applicants registry (the way 公益性岗位 places a person)."""

    id_number = forms.CharField(label=_("身份证号"), max_length=18, help_text=_("须先在“劳动者与申请人”中登记"))

    class Meta:
        model = StaffMember
        fields = ["institution", "id_number", "role", "full_time", "social_worker_qualified", "skill_level",
                  "college_graduate", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            _choices(self, "institution").queryset = institutions

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])


class BlacklistForm(forms.Form):
    subject = forms.ChoiceField(label=_("列入对象"), choices=[("institution", _("养老机构")), ("person", _("养老服务人员"))])
    institution = forms.ModelChoiceField(label=_("养老机构"), queryset=Institution.objects.none(), required=False)
    id_number = forms.CharField(label=_("人员身份证号"), max_length=18, required=False)
    reason = forms.CharField(label=_("失信行为"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("认定依据（机关及文书）"), max_length=200)
    listed_on = forms.DateField(label=_("列入日期"), widget=DATE)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            _choices(self, "institution").queryset = institutions

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        return validate_id_number(value) if value else ""


class RemoveForm(forms.Form):
    removed_on = forms.DateField(label=_("移出日期"), widget=DATE)
    note = forms.CharField(label=_("移出说明"), max_length=200, required=False)


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("补贴类别"), choices=KIND_CHOICES)
    claim_date = forms.DateField(label=_("申领日期"), widget=DATE)
    months = forms.IntegerField(label=_("申领月数"), min_value=0, max_value=120, required=False, initial=0,
                                help_text=_("就业见习补贴、社会保险补贴、岗位补贴填写"))
    honour_level = forms.ChoiceField(label=_("荣誉级别"), choices=[("", "—"), *HONOUR_CHOICES], required=False)
    training_certificate = forms.BooleanField(label=_("已取得培训合格证书"), required=False)
    founder = forms.BooleanField(label=_("本人创办该养老机构"), required=False)
