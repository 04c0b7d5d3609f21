from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_phone
from apps.training.models import (
    Certificate,
    EmploymentEvidence,
    FollowUp,
    Occupation,
    Program,
    ShortageReport,
    SkillLevel,
    TargetGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model-choice field of the form, to narrow its queryset to what the user may pick."""
    return cast(forms.ModelChoiceField, form.fields[name])


class ProgramForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(label=_("面向人群"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Program
        fields = ["code", "name", "provider", "occupation", "target_level", "funding_channel", "capacity",
                  "start_date", "end_date", "dual_certificate", "second_certificate_name",
                  "second_certificate_issuer", "target_groups", "subsidy_key"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is not None:
            _choices(self, "provider").queryset = providers
        _choices(self, "occupation").queryset = Occupation.objects.filter(is_active=True)


class EnrollmentRegisterForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False, validators=[validate_phone])
    program = forms.ModelChoiceField(label=_("培训项目"), queryset=Program.objects.none())
    target_group = forms.ChoiceField(label=_("人员类别"), choices=TargetGroup.choices)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "program").queryset = programs if programs is not None else Program.objects.none()


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书类型"), choices=Certificate.Kind.choices)
    level = forms.ChoiceField(label=_("等级"), choices=[("", "—"), *SkillLevel.choices], required=False)
    number = forms.CharField(label=_("证书编号"), max_length=60)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    issuer = forms.CharField(label=_("发证机构"), max_length=100)


class EmploymentForm(forms.Form):
    employment_evidence = forms.ChoiceField(label=_("就业证明"), choices=EmploymentEvidence.choices)
    employer_name = forms.CharField(label=_("就业单位"), max_length=200)
    employment_start = forms.DateField(label=_("入职日期"), widget=DATE)
    monthly_wage = forms.DecimalField(label=_("月工资（元）"), max_digits=14, decimal_places=2, min_value=0)


class FollowUpForm(forms.Form):
    employment_status = forms.ChoiceField(label=_("就业状态"), choices=FollowUp.EmploymentStatus.choices)
    skill_level = forms.ChoiceField(label=_("技能等级"), choices=[("", "—"), *SkillLevel.choices], required=False)
    monthly_wage = forms.DecimalField(label=_("月工资（元）"), max_digits=14, decimal_places=2, min_value=0,
                                      required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class ShortageForm(forms.ModelForm):
    class Meta:
        model = ShortageReport
        fields = ["employer", "occupation", "count", "wage_min", "wage_max", "reported_on"]
        widgets = {"reported_on": DATE}

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is not None:
            _choices(self, "employer").queryset = employers
        _choices(self, "occupation").queryset = Occupation.objects.filter(is_active=True)


class WillingnessForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    name = forms.CharField(label=_("姓名"), max_length=50)
    occupation = forms.ModelChoiceField(label=_("意向职业"), queryset=Occupation.objects.filter(is_active=True))
    target_group = forms.ChoiceField(label=_("人员类别"), choices=TargetGroup.choices)
