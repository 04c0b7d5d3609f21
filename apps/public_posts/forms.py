from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.core.validators import validate_id_number
from apps.public_posts.models import Placement, PublicPost

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class PostForm(forms.ModelForm):
    class Meta:
        model = PublicPost
        fields = ["name", "post_type", "employer", "employer_name", "region", "places", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, employers=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_name"].required = False
        if employers is not None:
            _choices(self, "employer").queryset = employers
        if regions is not None:
            _choices(self, "region").queryset = regions


class PlacementForm(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    start_date = forms.DateField(label=_("上岗日期"), widget=DATE)
    agreed_end_date = forms.DateField(label=_("约定终止日期"), widget=DATE)
    statutory_retirement_date = forms.DateField(label=_("法定退休日期"), widget=DATE, required=False,
                                                help_text=_("可选；距退休不足规定年限时据此续签至退休"))

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("离岗日期（最后在岗日）"), widget=DATE)
    reason = forms.ChoiceField(label=_("离岗原因"), choices=Placement.ExitReason.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class RenewForm(forms.Form):
    new_end_date = forms.DateField(label=_("续签至"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class RunStartForm(forms.Form):
    region: forms.ModelChoiceField = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none())
    month = forms.DateField(label=_("补贴月份"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "region").queryset = regions
