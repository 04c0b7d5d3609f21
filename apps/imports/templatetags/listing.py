"""Sortable column headers for list pages (used by the registries and any list that orders via a FilterSet)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, css: str = ""):
    """<th> with a link that sorts by `field`, toggling to descending when already ascending."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    params = request.GET.copy()
    params.pop("page", None)
    if current == field:
        params["ordering"], arrow, state = f"-{field}", "▲", "ascending"
    elif current == f"-{field}":
        params["ordering"], arrow, state = field, "▼", "descending"
    else:
        params["ordering"], arrow, state = field, "", "none"
    icon = format_html('<span class="ms-1">{}</span>', arrow) if arrow else mark_safe(
        '<i class="bi bi-arrow-down-up ms-1 text-secondary small" aria-hidden="true"></i>')
    return format_html('<th class="{}" aria-sort="{}"><a class="link-body-emphasis text-decoration-none" '
                       'href="?{}" title="点击排序">{}{}</a></th>', css, state, params.urlencode(), label, icon)
