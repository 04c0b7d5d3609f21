"""How the portal writes numbers and dates — one place, one way everywhere (issue 15). Built into every
template (TEMPLATES OPTIONS builtins), so a template never needs Django's `date:"…"`, `floatformat` or
`intcomma`: tests/portal/test_formats.py fails on a template that formats otherwise.

- lists and tables: `{{ d|list_date }}` 2025-03-01, `{{ t|list_datetime }}` 2025-03-01 14:05
  (`|list_datetime:"seconds"` 2025-03-01 14:05:09 for the audit trails), `{{ m|list_month }}` 2025-03;
- a record's own page and notices: `{{ d|detail_date }}` 2025年3月1日, `{{ m|detail_month }}` 2025年3月;
- money: `{{ x|money }}` 12,345.60 (two decimals, half up); counts: `{{ n|count }}` 12,345;
  a rate: `{{ r|rate }}` 3 / 3.5 / 3.25 (up to two decimals, no trailing zeros).
Empty values are "" so `|default:"—"` still works after them.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apps.core.money import format_money

register = template.Library()

LIST_DATE = "Y-m-d"
LIST_DATETIME = "Y-m-d H:i"
LIST_DATETIME_SECONDS = "Y-m-d H:i:s"
LIST_MONTH = "Y-m"
DETAIL_DATE = "Y年n月j日"
DETAIL_MONTH = "Y年n月"


def _format(value, fmt: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, date):
        return str(value)
    return date_format(value, fmt)


@register.filter
def list_date(value) -> str:
    return _format(value, LIST_DATE)


@register.filter
def list_datetime(value, arg: str = "") -> str:
    return _format(value, LIST_DATETIME_SECONDS if arg == "seconds" else LIST_DATETIME)


@register.filter
def list_month(value) -> str:
    return _format(value, LIST_MONTH)


@register.filter
def detail_date(value) -> str:
    return _format(value, DETAIL_DATE)


@register.filter
def detail_month(value) -> str:
    return _format(value, DETAIL_MONTH)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def money(value) -> str:
    number = _decimal(value)
    return "" if number is None else format_money(number)


@register.filter
def count(value) -> str:
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return f"{int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"


@register.filter
def rate(value) -> str:
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
