"""Serializer fields shared by every app's API.

- ScopedPrimaryKeyRelatedField: a related id in a request body, looked up among the records the requesting
  user may see. A plain `PrimaryKeyRelatedField(queryset=Model.objects.all())` accepts another region's id
  and lets the service answer 404 later, while an unknown id is a 400 "does not exist": the difference tells
  a caller which ids exist elsewhere (an existence oracle). This field looks the id up in `scope(user)` only,
  and an unknown id, an id out of scope and an id of the wrong type all answer the same code and message.
- inline_choices: a choice field whose schema is a pattern, not a shared enum component.
- RegionCodeField: a region by its GB/T 2260 code. Digits only, so a NUL byte or junk is a field error, never
  a database error; by default only the regions the user sees (another region's code reads as unknown).
- IdNumberField / id_number_for: a 身份证号 in full only for staff or a token with the full-ID scope.
"""


from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.bank import mask_bank_account, validate_bank_account
from apps.core.models import Region
from apps.core.scoping import visible_regions
from apps.core.validators import mask_id_number

NOT_FOUND_MESSAGE = "记录不存在或无权访问。"


@extend_schema_field(OpenApiTypes.INT)  # the schema cannot see the model behind `scope`
class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": NOT_FOUND_MESSAGE,
        "incorrect_type": NOT_FOUND_MESSAGE,
    }

    def __init__(self, *, scope: Callable[..., QuerySet], **kwargs):
        """`scope(user)` → the records that user may name here (scoping fails closed: no user, nothing).
        The serializer needs `context={"request": request}`."""
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except (TypeError, ValueError, OverflowError):
            self.fail("does_not_exist", pk_value=data)

    def fail(self, key, **kwargs):
        if key == "incorrect_type":
            key = "does_not_exist"  # "abc" and an unknown number look alike, too
        return super().fail(key, **kwargs)

def inline_choices(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field described by a pattern instead of an enum component: the same choice set under several
    field names (level, target_level; the `status` of several models) would otherwise make colliding enum
    components (drf-spectacular W001)."""
    schema = {"type": "string", "pattern": "^(" + "|".join(value for value, _ in choices if value) + ")$",
              "description": "；".join(f"{value}={label}" for value, label in choices)}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{6,12}$", "example": "220102"})
class RegionCodeField(serializers.SlugRelatedField):
    """A region by its code. `scoped=False` accepts any existing region, for a service that answers an
    out-of-scope region with its own code (e.g. `region_out_of_scope`)."""

    default_error_messages = {**serializers.SlugRelatedField.default_error_messages,
                              "invalid_code": "区划代码应为数字，例如 220102"}

    def __init__(self, *, scoped: bool = True, **kwargs):
        self.scoped = scoped
        if kwargs.get("read_only"):
            super().__init__(slug_field="code", **kwargs)
        else:
            super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)

    def get_queryset(self):
        if not self.scoped:
            return Region.objects.all()
        request = self.context.get("request")
        return visible_regions(getattr(request, "user", None))

    def to_internal_value(self, data):
        if not isinstance(data, str) or not (data.isascii() and data.isdigit()):
            self.fail("invalid_code")
        return super().to_internal_value(data)


def _full_value_allowed(request, token_property: str) -> bool:
    """Staff in a session, or a token whose scopes grant it (`token_property` of an apps.accounts ApiToken).

    The token (request.auth) answers for itself; an integration account without one gets masked values; no
    request at all (a serializer used outside a view) fails closed."""
    if request is None:
        return False
    allows = getattr(getattr(request, "auth", None), token_property, None)
    if allows is not None:
        return bool(allows)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_integration", False))


def full_id_number_allowed(request) -> bool:
    """A full 身份证号 in an API response: staff in a session, or a token with the full-ID scope."""
    return _full_value_allowed(request, "allows_full_id_number")


def full_bank_account_allowed(request) -> bool:
    """A full bank account number in an API detail: staff in a session, or a token with full_bank_account."""
    return _full_value_allowed(request, "allows_full_bank_account")


def bank_account_for(request, value: str | None, *, detail: bool) -> str:
    """Lists always mask; a detail shows the full number only where allowed (the caller logs that read)."""
    return (value or "") if detail and full_bank_account_allowed(request) else mask_bank_account(value)


BANK_DETAILS_FIELDS = ["bank_name", "bank_account", "bank_account_name", "bank_account_name_matches"]


class BankDetailsSerializerMixin(serializers.Serializer):
    """A payee's bank details (apps.core.bank.BankDetails: a person, an employer, an institution) in one way for
    every API: the account typed with spaces or full-width digits is normalised, then checked (a Chinese reason
    with a stable code); it is answered masked (6222************1234), in full only in a detail
    (context `detail`) where `full_bank_account_allowed` — the view writes that read to the access log.
    Add `BANK_DETAILS_FIELDS` to the serializer's Meta.fields."""

    bank_account = serializers.CharField(label="银行账号", max_length=64, required=False, allow_blank=True)
    bank_account_name_matches = serializers.BooleanField(label="户名与名称一致", read_only=True)

    def validate_bank_account(self, value: str) -> str:
        return validate_bank_account(value) if value else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["bank_account"] = bank_account_for(self.context.get("request"), instance.bank_account,
                                                detail=bool(self.context.get("detail")))
        return data


def id_number_for(request, value: str | None) -> str:
    return (value or "") if full_id_number_allowed(request) else mask_id_number(value)


class IdNumberField(serializers.CharField):
    """A detail's ID number: in full only where `full_id_number_allowed`, else 2201**********123X."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return id_number_for(self.context.get("request"), super().to_representation(value))
