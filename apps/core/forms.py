"""Form pieces every app's caseworker forms share."""

from django import forms


class RegionChoiceField(forms.ModelChoiceField):
    """A Region picked as “220102 长春市南关区” (code, prefecture, county) — what caseworkers search by."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.parent.name if obj.parent else ''}{obj.name}"


def limit_choices(form: forms.BaseForm, name: str, queryset) -> None:
    """Restrict a model-choice field of `form` to `queryset` (the form's fields are typed as plain Fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
