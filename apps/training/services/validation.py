"""The model's own validation as a business error (one Chinese sentence plus the field messages)."""

from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.core.exceptions import ApplicationError
from apps.core.scoping import user_can_see_region


def full_clean_or_raise(instance: Model, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError("invalid", "提交的数据有误", error.message_dict) from error


def check_region(user, field: str, *codes: str | None) -> None:
    """A write lands only in the user's region (core.scoping: no user or no region sees nothing)."""
    if not all(code and user_can_see_region(user, code) for code in codes):
        raise ApplicationError("region_out_of_scope", "所选记录不在您的经办范围内。",
                               {field: ["所选记录不在您的经办范围内。"]})
