from django import template

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
