from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.money import MONEY_FIELD
from apps.core.validators import validate_id_number, validate_uscc

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    id_number = forms.CharField(label=_("申请人身份证号"), max_length=18,
                                help_text=_("须为本区划人员库中已登记的人员；扶持对象身份按其身份标签认定"))
    application_date = forms.DateField(label=_("申请日期"), widget=DATE, initial=timezone.localdate)
    business_name = forms.CharField(label=_("创业项目（经营主体）名称"), max_length=200)
    business_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False,
                                    help_text=_("已办理营业执照的填写"))
    amount_requested = forms.DecimalField(label=_("申请贷款金额（元）"), min_value=Decimal("0.01"), **MONEY_FIELD)
    term_months = forms.IntegerField(label=_("贷款期限（月）"), min_value=1, max_value=600)
    lender_bank = forms.CharField(label=_("经办银行"), max_length=100, help_text=_("如：吉林银行长春南关支行"))

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        try:
            return validate_id_number(value)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error

    def clean_business_uscc(self):
        value = self.cleaned_data["business_uscc"].strip()
        if not value:
            return ""
        try:
            return validate_uscc(value)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from error


class NoteForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=200)
