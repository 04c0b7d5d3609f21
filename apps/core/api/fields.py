"""Serializer fields shared by every app's API."""

from rest_framework import serializers

from apps.core.validators import mask_id_number


def full_id_number_allowed(request) -> bool:
    """A full 身份证号 in an API response: staff in a session, or a token with the full-ID scope.

    The token (request.auth, an apps.accounts ApiToken) answers for itself; an integration account without
    one gets masked numbers; no request at all (a serializer used outside a view) fails closed."""
    if request is None:
        return False
    allows = getattr(getattr(request, "auth", None), "allows_full_id_number", None)
    if allows is not None:
        return bool(allows)
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_integration", False))


def id_number_for(request, value: str | None) -> str:
    return (value or "") if full_id_number_allowed(request) else mask_id_number(value)


class IdNumberField(serializers.CharField):
    """A detail's ID number: in full only where `full_id_number_allowed`, else 2201**********123X."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return id_number_for(self.context.get("request"), super().to_representation(value))
