"""The calculator form, generated from the facts dataclass (through `calculator_fields`), so it always matches
the API: dates → date inputs, Decimal → number inputs with step 0.01, bool → checkbox, choices → select
or checkboxes. The cleaned data is turned into the same JSON the API takes and parsed by the same code."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.eligibility.calculator_fields import FactField, calculator_fields
from apps.eligibility.calculators.registry import CALCULATORS, Calculator
from apps.eligibility.models import BenefitMatch


class CalculatorChoiceForm(forms.Form):
    calculator = forms.ChoiceField(label=_("测算项目"), choices=[(c.name, c.title) for c in CALCULATORS.values()])


class IntegerListField(forms.CharField):
    """Integers typed on one line ("30, 30, 28 …": commas, 、 or spaces between them) -> a list, or None
    when left empty. How many and which values are allowed is the calculator's and facts_parse's business."""

    SEPARATORS = re.compile(r"[,，、\s]+")

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            return [int(part) for part in self.SEPARATORS.split(text) if part]
        except ValueError:
            raise forms.ValidationError(_("应为以逗号分隔的整数，如 30,30,28"), code="invalid") from None


def _form_field(field: FactField) -> forms.Field:
    required = field.required and not field.nullable
    label = field.label
    if field.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label=label,
                               required=required)
    if field.kind == "decimal":
        return forms.DecimalField(widget=forms.NumberInput(attrs={"step": "0.01"}), label=label, required=required)
    if field.kind == "integer":
        return forms.IntegerField(label=label, required=required)
    if field.kind == "integer_list":
        return IntegerListField(label=label, required=required)
    if field.kind == "boolean":
        return forms.BooleanField(label=field.label, required=False)
    if field.kind == "multi_choice":
        return forms.MultipleChoiceField(choices=field.choices, widget=forms.CheckboxSelectMultiple,
                                         label=field.label, required=False)
    if field.kind == "choice":
        blank = [("", "（未填写）")] if not required else [("", "请选择")]
        return forms.ChoiceField(choices=blank + list(field.choices), label=label, required=required)
    return forms.CharField(label=label, required=required)


class FactsForm(forms.Form):
    """One field per fact; `facts_json()` gives the API's JSON for the same input."""

    def __init__(self, calculator: Calculator, *args, **kwargs):
        self.calculator = calculator
        self.fact_fields = calculator_fields(calculator)
        kwargs.setdefault("prefix", "facts")
        super().__init__(*args, **kwargs)
        for fact in self.fact_fields:
            self.fields[fact.name] = _form_field(fact)
            if fact.default is not None and not self.is_bound:
                self.fields[fact.name].initial = fact.default

    def facts_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for fact in self.fact_fields:
            value = self.cleaned_data.get(fact.name)
            if value in (None, "") and fact.kind not in ("boolean", "multi_choice"):
                if fact.nullable:
                    data[fact.name] = None
                continue  # a required fact left empty: the form has said so already
            if fact.kind == "date" and isinstance(value, date):
                value = value.isoformat()
            elif fact.kind == "decimal":
                value = str(value)
            elif fact.kind == "multi_choice":
                value = list(value or [])
            data[fact.name] = value
        return data


class BenefitMatchResolveForm(forms.Form):
    status = forms.ChoiceField(label=_("处理结果"), choices=[
        (BenefitMatch.Status.HANDLED, BenefitMatch.Status.HANDLED.label),
        (BenefitMatch.Status.DISMISSED, BenefitMatch.Status.DISMISSED.label)])
    note = forms.CharField(label=_("处理说明"), max_length=500, required=False)
