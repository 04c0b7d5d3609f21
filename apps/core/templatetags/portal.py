from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from apps.core import idempotency
from apps.core.templatetags import formats
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


register.filter("money", formats.money)  # the one money format (apps/core/templatetags/formats.py)


@register.filter
def masked(value):
    return mask_id_number(value)


@register.simple_tag
def new_form_token():
    """A one-time token for a create form among several on a page (apps.core.idempotency): fresh per form."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_token())


@register.filter
def pct(value) -> str:
    """The class that draws a bar `value` per cent wide: pct-0 … pct-100 (static/portal/portal.css), the whole
    percent rounded half up and held to 0–100 (an over-full institution's bar is full, not wider than its track).
    A class, not style="width: …": the Content-Security-Policy allows no inline style. Empty or not a number: 0."""
    try:
        number = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        number = Decimal(0)
    if not number.is_finite():
        number = Decimal(0)
    return f"pct-{min(100, max(0, int(number)))}"
