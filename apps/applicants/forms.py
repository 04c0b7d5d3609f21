from django import forms
from django.utils.translation import gettext_lazy as _

from apps.applicants.models import HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.core.forms import RegionChoiceField, limit_choices
from apps.core.models import Region
from apps.core.scoping import visible_regions


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
    """Birth date, sex and birthplace are not on the form: they are read from the ID number."""

    class Meta:
        model = Person
        fields = ["name", "id_number", "phone", "hukou_type", "hukou_region", "region", "address"]
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
