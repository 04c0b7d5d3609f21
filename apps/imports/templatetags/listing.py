"""List pages: sortable column headers (any list that orders via a FilterSet), and the links of the
pagination bar (page numbers, page sizes) that keep the list's filters and sort."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from apps.core.pagination import PAGE_SIZES

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


def _with(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = str(value)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """This list, same filters and sort, at page `number`."""
    return _with(context["request"], page=number)


@register.simple_tag(takes_context=True)
def page_size_url(context, size) -> str:
    """This list, same filters and sort, `size` rows a page, from the first page."""
    return _with(context["request"], page=None, page_size=size)


@register.simple_tag
def page_sizes():
    return PAGE_SIZES


@register.filter
def elided_pages(number, paginator):
    """Page numbers around the current one, with … for the rest (Django's elided page range)."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
