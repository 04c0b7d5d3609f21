from django import template
from django.utils.html import format_html

from apps.core import idempotency
from apps.core.money import format_money
from apps.core.validators import mask_id_number

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a form field with Bootstrap classes, marked invalid when it has errors."""
    widget = field.field.widget
    input_type = getattr(widget, "input_type", "")
    css = {"select": "form-select", "checkbox": "form-check-input"}.get(input_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def money(value):
    return format_money(value)


@register.filter
def masked(value):
    return mask_id_number(value)


@register.simple_tag
def new_form_token():
    """A one-time token for a create form among several on a page (apps.core.idempotency): fresh per form."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_token())
