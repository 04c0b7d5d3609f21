"""The model's own validation as a business error (one Chinese sentence plus the field messages)."""

from django.core.exceptions import ValidationError
from django.db.models import Model

from apps.core.exceptions import ApplicationError


def full_clean_or_raise(instance: Model, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise ApplicationError("invalid", "提交的数据有误", error.message_dict) from error
