"""The row label a bulk bar's confirmation lists (apps.core.bulk): `{{ bulk.action|bulk_label:record }}`."""

from django import template

register = template.Library()


@register.filter
def bulk_label(action, obj) -> str:
    return action.describe(obj) if action is not None else str(obj)
