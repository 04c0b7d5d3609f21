from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import MONEY_FIELD
from apps.fraud.models import FraudCase


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CaseForm(forms.Form):
    id_number = forms.CharField(label=_("当事人身份证号"), max_length=18,
                                help_text=_("须为本区划人员库中已登记的人员"))
    kind = forms.ChoiceField(label=_("案件类型"), choices=FraudCase.Kind.choices,
                             initial=FraudCase.Kind.WORK_INJURY_MEDICAL)
    reported_on = forms.DateField(label=_("线索发现日期"), widget=DateInput(), initial=timezone.localdate)
    hospital = forms.CharField(label=_("就诊医疗机构"), max_length=100)
    amount_billed = forms.DecimalField(label=_("医保基金已支付金额（元）"), min_value=0, **MONEY_FIELD)
    description = forms.CharField(label=_("案情摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  help_text=_("如：工伤事故后就医，以普通疾病名义由医保基金结算"))


class FindingForm(forms.Form):
    misused_amount = forms.DecimalField(label=_("查实应由工伤保险支付、已由医保基金支付的金额（元）"), min_value=0,
                                        **MONEY_FIELD)
    facts_summary = forms.CharField(label=_("认定事实"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("原因 / 意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)
