from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.childcare.models import AgeGroup, EnrollmentGuardian, Finding, Inspection, Institution, StaffMember
from apps.childcare.selectors import county_choices
from apps.core.forms import BankDetailsFormMixin, RegionChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class InstitutionForm(BankDetailsFormMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "uscc", "category", "region", "address", "contact_person", "phone", "licence_number",
                  "licence_date", "inclusive_certificate_number", "inclusive_certified_from", "inclusive_certified_to",
                  "places_infant", "places_toddler", "places_preschool", "community_embedded", "home_based",
                  "medical_integrated", "status", "bank_name", "bank_account", "bank_account_name"]
        widgets = {"licence_date": DateInput(), "inclusive_certified_from": DateInput(),
                   "inclusive_certified_to": DateInput()}
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(RegionChoiceField, self.fields["region"]).queryset = county_choices(user=user)


class StaffForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["name", "post", "qualification", "certificate_number", "hired_on", "left_on"]
        widgets = {"hired_on": DateInput(), "left_on": DateInput()}


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["kind", "visited_on", "inspector", "notes"]
        widgets = {"visited_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["severity", "description", "rectification_deadline"]
        widgets = {"rectification_deadline": DateInput()}


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label=_("整改完成日期"), widget=DateInput())
    follow_up = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 3}))


class EnrollmentForm(forms.Form):
    child_id_number = forms.CharField(label=_("婴幼儿身份证号"), max_length=18)
    child_name = forms.CharField(label=_("婴幼儿姓名"), max_length=50)
    age_group = forms.ChoiceField(label=_("班级"), choices=AgeGroup.choices)
    start_date = forms.DateField(label=_("入托日期"), widget=DateInput())
    guardian_id_number = forms.CharField(label=_("监护人身份证号"), max_length=18, required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_relationship = forms.ChoiceField(label=_("与婴幼儿关系"), choices=EnrollmentGuardian.Relationship.choices,
                                              required=False)
    guardian_phone = forms.CharField(label=_("监护人电话"), max_length=20, required=False)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("guardian_id_number") and not cleaned.get("guardian_name"):
            self.add_error("guardian_name", _("请填写监护人姓名"))
        return cleaned


class LeaveForm(forms.Form):
    end_date = forms.DateField(label=_("离托日期（最后一天在托）"), widget=DateInput())


class AttendanceForm(forms.Form):
    month = forms.DateField(label=_("月份"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    days_present = forms.IntegerField(label=_("出勤天数"), min_value=0, max_value=31)


def _year_field():
    return forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year - 1)


class ClaimComputeForm(forms.Form):
    year = _year_field()


class RunForm(forms.Form):
    year = _year_field()


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
