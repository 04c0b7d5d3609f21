"""Form pieces every app's caseworker forms share."""

from django import forms
from django.contrib import messages as django_messages
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest

from apps.core.bank import normalize_bank_account
from apps.core.exceptions import ApplicationError


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


TYPED_ACCOUNT_MAX_LENGTH = 64  # as the API's serializers accept it


class BankDetailsFormMixin:
    """A ModelForm of a payee (apps.core.models.BankDetails): the account typed with spaces or full-width digits
    (6222 0202 …) is normalised here and checked by the model's validator (apps.core.bank), so the field shows
    the Chinese reason."""

    fields: dict
    cleaned_data: dict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bank_account" in self.fields:
            field = self.fields["bank_account"]
            # The stored column holds 32 digits; what is typed may be longer (spaces between the groups), and a
            # too-long number is refused by apps.core.bank with its own reason, not the field's length message.
            field.max_length = TYPED_ACCOUNT_MAX_LENGTH
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off",
                                       "maxlength": str(TYPED_ACCOUNT_MAX_LENGTH)})

    def clean_bank_account(self) -> str:
        return normalize_bank_account(self.cleaned_data.get("bank_account"))


def add_service_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on `form`: each field message under the field it names (at the top when the form
    has no such field), and the service's own sentence at the top unless a field already says it — so a
    message is never lost and never shown twice. Used by every caseworker form and the admin's forms."""
    shown: set[str] = set()
    for name, messages in error.fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            shown.add(message)
    if error.message not in shown:
        form.add_error(None, error.message)


def report_error(request: HttpRequest, error: ApplicationError, form: forms.BaseForm | None = None) -> None:
    """A service's refusal in a caseworker view: on the form when the page shows one (add_service_error),
    else as the page's error message (an action button's post, answered by a redirect)."""
    if form is not None:
        add_service_error(form, error)
    else:
        django_messages.error(request, error.message)
