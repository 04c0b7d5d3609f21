from django import template

from apps.training.indicators import rate_percent

register = template.Library()


@register.filter
def demand_met(program) -> str:
    """How much of the linked labour-shortage demand the program's places meet, e.g. '80.00'."""
    demand = getattr(program, "shortage_positions", 0) or 0
    if not demand:
        return ""
    return str(rate_percent(min(program.capacity, demand), demand))


@register.inclusion_tag("training/_status.html")
def status_badge(enrollment):
    return {"status": enrollment.status, "label": enrollment.get_status_display()}
