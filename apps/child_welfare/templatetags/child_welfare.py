from django import template
from django.utils.html import format_html

from apps.child_welfare import lifecycle
from apps.child_welfare.models import RiskLevel, Severity, Status
from apps.core.validators import mask_id_number, mask_name

register = template.Library()

RISK_CLASSES = {RiskLevel.HIGH: "risk-high", RiskLevel.MEDIUM: "risk-medium", RiskLevel.LOW: "risk-low"}
RISK_ICONS = {RiskLevel.HIGH: "exclamation-triangle-fill", RiskLevel.MEDIUM: "exclamation-circle",
              RiskLevel.LOW: "check-circle"}
SEVERITY_CLASSES = {Severity.HIGH: "text-bg-danger", Severity.MEDIUM: "text-bg-warning",
                    Severity.LOW: "text-bg-info", Severity.NONE: "text-bg-light border"}
STATUS_CLASSES = {Status.REPORTED: "text-bg-secondary", Status.VERIFIED: "text-bg-info",
                  Status.ASSESSED: "text-bg-primary", Status.PLANNED: "text-bg-primary",
                  Status.IN_SERVICE: "text-bg-success", Status.UNDER_REVIEW: "text-bg-warning",
                  Status.CLOSED: "text-bg-dark"}


@register.filter
def risk_badge(level):
    if not level:
        return ""
    return format_html('<span class="badge risk-badge {}"><i class="bi bi-{}"></i> {}</span>',
                       RISK_CLASSES.get(level, ""), RISK_ICONS.get(level, "circle"), RiskLevel(level).label)


@register.filter
def status_badge(status):
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASSES.get(status, "text-bg-light"),
                       Status(status).label)


@register.filter
def severity_badge(severity):
    severity = severity or Severity.NONE
    return format_html('<span class="badge {}">{}</span>', SEVERITY_CLASSES.get(severity, ""),
                       Severity(severity).label)


@register.filter
def action_label(action: str) -> str:
    """The Chinese name of a recorded lifecycle step (CaseTransition.action)."""
    return lifecycle.action_label(action)


@register.filter
def child_name_for(case, can_open):
    """Full name only for users who may open the case (minors' names are masked otherwise)."""
    return case.child.name if can_open else mask_name(case.child.name)


@register.filter
def child_id_for(case, can_open):
    return case.child.id_number if can_open else mask_id_number(case.child.id_number)
