from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BankDetailsFormMixin, RegionChoiceField, limit_choices
from apps.core.models import Region
from apps.core.money import MONEY_FIELD
from apps.core.scoping import scope_queryset, visible_regions
from apps.core.validators import validate_id_number, validate_uscc
from apps.startup_loans.models import Lender

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
    lender = forms.ModelChoiceField(label=_("经办银行（名录）"), queryset=Lender.objects.none(), required=False,
                                    help_text=_("贴息资金拨付到所选银行的账户；名录中没有的先在“经办银行”中登记"))
    lender_bank = forms.CharField(label=_("经办银行（未入名录时填写名称）"), max_length=100, required=False,
                                  help_text=_("如：吉林银行长春南关支行；选择了名录中的银行时不必填写"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            limit_choices(self, "lender", lender_choices(user))

    def clean(self):
        data = super().clean() or {}
        if not data.get("lender") and not (data.get("lender_bank") or "").strip() and "lender_bank" not in self.errors:
            self.add_error("lender", "请选择经办银行（或填写其名称）")
        return data

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


def lender_choices(user):
    return scope_queryset(Lender.objects.all(), user).order_by("name", "id")


class LenderForm(BankDetailsFormMixin, forms.ModelForm):
    class Meta:
        model = Lender
        fields = ["name", "uscc", "region", "bank_name", "bank_account", "bank_account_name"]
        error_messages = {"uscc": {"unique": "该统一社会信用代码已登记。"}}
        field_classes = {"region": RegionChoiceField}
        help_texts = {"bank_account_name": _("应与经办银行名称一致；不一致时发放前会提示核实")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "region", visible_regions(user, levels=[Region.Level.COUNTY]))


class LenderLinkForm(forms.Form):
    lender = forms.ModelChoiceField(label=_("经办银行（名录）"), queryset=Lender.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "lender", lender_choices(user))
