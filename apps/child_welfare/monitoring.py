"""Dynamic monitoring (动态监测): when the next visit and review are due, and escalation of high-risk cases
whose visit is overdue. Intervals are policy parameters (apps.child_welfare.parameters)."""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.child_welfare.models import OPEN_STATUSES, Case, Escalation, RiskLevel, Status
from apps.child_welfare.parameters import monitoring_intervals
from apps.core.scoping import user_can_see_region, user_scope_prefix

logger = logging.getLogger(__name__)

# The job touches only overdue high-risk cases; a few thousand at most in a province, one chunk is fine.
ESCALATION_BATCH = 1000


def schedule(case: Case, *, today: date) -> None:
    """Set next_visit_due / next_review_due on the (unsaved) case from its state and the parameters."""
    if case.status == Status.CLOSED:
        case.next_visit_due = case.next_review_due = None
        return
    intervals = monitoring_intervals(region_code=case.region_id, as_of=today)
    base = case.last_visit_on or case.reported_on
    case.next_visit_due = base + timedelta(days=intervals[case.risk_level])
    if case.status == Status.IN_SERVICE:
        if case.next_review_due is None:
            case.next_review_due = today + timedelta(days=intervals["review"])
    else:
        case.next_review_due = None


def _supervisor_for(region_code: str, supervisors: list[User]) -> int | None:
    """The supervisor whose region is the closest one containing the case's region (first by id on a tie)."""
    best, best_len = None, -1
    for supervisor in supervisors:
        scope = user_scope_prefix(supervisor)
        if scope is not None and user_can_see_region(supervisor, region_code) and len(scope) > best_len:
            best, best_len = supervisor.pk, len(scope)
    return best


@transaction.atomic
def escalate_overdue_visits(*, today: date) -> int:
    """Raise every open high-risk case with an overdue visit to its supervisor. Safe to run again: one
    escalation per (case, missed due date)."""
    supervisors = list(User.objects.filter(role=User.Role.SUPERVISOR, is_active=True, region__isnull=False)
                       .select_related("region").order_by("id"))
    overdue = (Case.objects.filter(status__in=OPEN_STATUSES, risk_level=RiskLevel.HIGH, next_visit_due__lt=today)
               .values_list("id", "region_id", "next_visit_due"))
    existing = set(Escalation.objects.filter(case__risk_level=RiskLevel.HIGH, case__next_visit_due__lt=today)
                   .values_list("case_id", "due_on"))
    new = [Escalation(case_id=case_id, due_on=due, raised_on=today,
                      supervisor_id=_supervisor_for(region_id, supervisors))
           for case_id, region_id, due in overdue.iterator(chunk_size=ESCALATION_BATCH)
           if due is not None and (case_id, due) not in existing]  # due is set: filtered on it
    Escalation.objects.bulk_create(new, batch_size=ESCALATION_BATCH, ignore_conflicts=True)
    logger.info("child welfare overdue visits escalated", extra={
        "today": today.isoformat(), "escalations": len(new), "unassigned": sum(e.supervisor_id is None for e in new)})
    return len(new)


def resolve_escalations(case: Case, *, resolution: str) -> int:
    return Escalation.objects.filter(case=case, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution[:200])
