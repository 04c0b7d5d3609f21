from django import forms

from apps.core.forms import BankDetailsFormMixin, RegionChoiceField, limit_choices
from apps.core.models import Region
from apps.core.scoping import visible_regions
from apps.employers.models import Employer


class DateInput(forms.DateInput):
    input_type = "date"


def _regions_for(user):
    """The counties the user may register employers in (their own region and below)."""
    return visible_regions(user, levels=[Region.Level.COUNTY])


class EmployerForm(BankDetailsFormMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["uscc", "name", "entity_type", "industry", "employees", "revenue_10k", "assets_10k", "region",
                  "serious_dishonesty", "dishonesty_date", "dishonesty_source", "contact_name", "contact_phone",
                  "contact_email", "address", "bank_name", "bank_account", "bank_account_name"]
        widgets = {"dishonesty_date": DateInput()}
        error_messages = {"uscc": {"unique": "该统一社会信用代码已登记。"}}
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_choices(self, "region", _regions_for(user))
