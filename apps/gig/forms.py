from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.core.validators import validate_phone
from apps.gig.models import Broker, Outcome, PayUnit, Posting, Trade

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = ["title", "trade", "employer", "broker", "pay", "pay_unit", "headcount", "start_date", "end_date",
                  "region", "address", "description"]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {"employer": _("用工单位与劳务经纪人二选一"), "broker": _("经纪人代为发布时选择")}

    def __init__(self, *args, employers=None, brokers=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is not None:
            _choices(self, "employer").queryset = employers
        _choices(self, "broker").queryset = brokers if brokers is not None else Broker.objects.none()
        if regions is not None:
            _choices(self, "region").queryset = regions


class PersonFields(forms.Form):
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, validators=[validate_phone])


class AvailabilityForm(PersonFields):
    trades = forms.MultipleChoiceField(label=_("工种"), choices=Trade.choices, widget=forms.CheckboxSelectMultiple)
    region = forms.ModelChoiceField(label=_("求职区划"), queryset=Region.objects.none())
    available_from = forms.DateField(label=_("可上岗开始日期"), widget=DATE)
    available_to = forms.DateField(label=_("可上岗结束日期"), widget=DATE)
    expected_pay = forms.DecimalField(label=_("期望报酬（元）"), max_digits=10, decimal_places=2, min_value=0,
                                      required=False)
    pay_unit = forms.ChoiceField(label=_("计酬单位"), choices=PayUnit.choices)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "region").queryset = regions if regions is not None else Region.objects.none()
        self.fields["phone"].required = False

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("可上岗结束日期不能早于开始日期。"))
        return data


class BrokerForm(PersonFields):
    region = forms.ModelChoiceField(label=_("服务区划（乡镇/村）"), queryset=Region.objects.none())
    registered_on = forms.DateField(label=_("登记日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "region").queryset = regions if regions is not None else Region.objects.none()


class PlacementForm(forms.Form):
    availability = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    start_date = forms.DateField(label=_("上岗日期"), widget=DATE)
    broker = forms.ModelChoiceField(label=_("经纪人（经其撮合时）"), queryset=Broker.objects.none(), required=False)

    def __init__(self, *args, brokers=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "broker").queryset = brokers if brokers is not None else Broker.objects.none()


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), widget=DATE)
    outcome = forms.ChoiceField(label=_("回访结果"), choices=Outcome.choices)
    pay_received = forms.BooleanField(label=_("已收到报酬"), required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class PostingActionForm(forms.Form):
    action = forms.CharField(max_length=32)
    note = forms.CharField(label=_("原因"), max_length=300, required=False)
