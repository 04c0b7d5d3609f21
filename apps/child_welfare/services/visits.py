"""Service delivery: home visits (which reset the monitoring clock) and referrals to departments and charities."""

import logging
from datetime import date

from django.db import transaction
from django.db.models import F

from apps.child_welfare import monitoring
from apps.child_welfare.models import Case, Referral, Visit
from apps.child_welfare.selectors import case_get, child_record_get, referral_list
from apps.child_welfare.services.locking import save_recorded
from apps.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


@transaction.atomic
def visit_record(*, user, case_id: int, visited_on: date, visitors: str, findings: str, child_seen: bool = True,
                 services_delivered: str = "") -> Visit:
    case = case_get(user=user, pk=case_id, for_update=True)
    if visited_on > date.today():
        raise ApplicationError("visit_in_future", "探访日期不能晚于今天", {"visited_on": ["日期有误"]})
    visit = Visit(case=case, visited_on=visited_on, visitors=visitors, findings=findings, child_seen=child_seen,
                  services_delivered=services_delivered, recorded_by=user)
    visit.full_clean(exclude=["case", "recorded_by"])
    save_recorded(visit, user)
    # A visit without seeing the child does not reset the clock: the child must be seen.
    clock_reset = child_seen and (case.last_visit_on is None or visited_on > case.last_visit_on)
    if clock_reset:
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        case.version += 1
        case.last_visit_on = visited_on
        monitoring.schedule(case, today=date.today())
        save_recorded(case, user, "入户探访")
        if case.next_visit_due is not None and case.next_visit_due >= date.today():
            monitoring.resolve_escalations(case, resolution=f"{visited_on:%Y-%m-%d} 已探访")
    logger.info("child welfare visit recorded", extra={
        "case_id": case.pk, "visit_id": visit.pk, "child_seen": child_seen, "clock_reset": clock_reset,
        "next_visit_due": case.next_visit_due.isoformat() if case.next_visit_due else None, "user_id": user.pk})
    return visit


@transaction.atomic
def referral_create(*, user, case_id: int, target_type: str, target_name: str, domain: str, request: str,
                    resource=None, referred_on: date | None = None) -> Referral:
    case = case_get(user=user, pk=case_id)
    referral = Referral(case=case, target_type=target_type, target_name=target_name, domain=domain, request=request,
                        resource=resource, referred_on=referred_on or date.today(), referred_by=user)
    referral.full_clean(exclude=["case", "referred_by", "resource"])
    save_recorded(referral, user)
    logger.info("child welfare referral sent", extra={
        "case_id": case.pk, "referral_id": referral.pk, "target_type": target_type, "domain": domain,
        "resource_id": resource.pk if resource is not None else None, "user_id": user.pk})
    return referral


@transaction.atomic
def referral_respond(*, user, referral_id: int, status: str, response: str, responded_on: date | None = None
                     ) -> Referral:
    referral = child_record_get(referral_list(user=user), referral_id)
    if status not in Referral.ReferralStatus.values or status == Referral.ReferralStatus.SENT:
        raise ApplicationError("invalid_referral_status", "请选择对方的答复结果", {"status": ["无效"]})
    referral.status, referral.response = status, response
    referral.responded_on = responded_on or date.today()
    save_recorded(referral, user)
    logger.info("child welfare referral answered", extra={
        "referral_id": referral.pk, "case_id": referral.case_id, "status": status, "user_id": user.pk})
    return referral
