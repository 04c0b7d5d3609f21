"""困境儿童's 待办 (registered in ChildWelfareConfig.ready()). Built on the one case access rule
(`selectors.case_queryset`): a caseworker's are the cases assigned to them, a supervisor's and an
administrator's every case of their region.

- overdue visits: the responsible worker's own; supervisors and administrators see their region's;
- upcoming visits (due today or within the window): the responsible worker's only;
- escalations (a high-risk case whose visit is overdue, raised by the monitoring job): supervisors and
  administrators of the case's region, until resolved.
The child's name is masked on the list; the case page is the audited read.
"""

from datetime import timedelta

from django.urls import reverse

from apps.child_welfare.models import OPEN_STATUSES, Case, Escalation
from apps.child_welfare.selectors import case_queryset
from apps.core.registry import WorkItem, WorklistSource, worklist_window
from apps.core.review import REVIEWER_ROLES


def _open_cases(user):
    return case_queryset(user).filter(status__in=OPEN_STATUSES).select_related("child", "region", "assigned_worker")


def visits_overdue(user, today):
    return _open_cases(user).filter(next_visit_due__lt=today).order_by("next_visit_due", "id")


def visits_upcoming(user, today):
    until = today + timedelta(days=worklist_window("visit_upcoming"))
    return _open_cases(user).filter(assigned_worker=user, next_visit_due__gte=today,
                                    next_visit_due__lte=until).order_by("next_visit_due", "id")


def _what(case: Case) -> str:
    return f"{case.reference} {case.masked_child_name}（{case.region.name}）"


def overdue_item(case: Case) -> WorkItem:
    worker = f"，责任经办人：{case.assigned_worker}" if case.assigned_worker_id else "，尚未指定责任经办人"
    return WorkItem(what=_what(case), url=reverse("child_welfare:case-detail", args=[case.pk]), due=case.next_visit_due,
                    why=f"{case.get_risk_level_display()}个案，探访期限已过{worker}，请尽快入户探访并记录")


def upcoming_item(case: Case) -> WorkItem:
    return WorkItem(what=_what(case), url=reverse("child_welfare:case-detail", args=[case.pk]), due=case.next_visit_due,
                    why=f"{case.get_risk_level_display()}个案，按探访频次即将到期，请安排入户探访")


def escalations_open(user, today):
    escalations = Escalation.objects.filter(case__in=case_queryset(user).values("pk"), resolved_at__isnull=True)
    return escalations.select_related("case", "case__child", "case__region", "case__assigned_worker").order_by(
        "due_on", "id")


def escalation_item(escalation: Escalation) -> WorkItem:
    case = escalation.case
    worker = case.assigned_worker or "未指定"
    return WorkItem(what=_what(case), url=reverse("child_welfare:case-detail", args=[case.pk]), due=escalation.due_on,
                    why=f"高风险个案逾期未探访，已于 {escalation.raised_on:%Y-%m-%d} 升级督办（责任经办人：{worker}）")


SOURCES = (
    WorklistSource(key="child_welfare.visit_overdue", module="child_welfare", label="探访逾期",
                   queryset=visits_overdue, item=overdue_item, order=50),
    WorklistSource(key="child_welfare.visit_upcoming", module="child_welfare", label="探访即将到期",
                   queryset=visits_upcoming, item=upcoming_item, order=52),
    WorklistSource(key="child_welfare.escalation", module="child_welfare", label="逾期督办",
                   queryset=escalations_open, item=escalation_item, roles=REVIEWER_ROLES, order=51),
)
