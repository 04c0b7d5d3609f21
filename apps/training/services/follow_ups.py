"""Follow-ups after completion (R6: skill level, employment status and wage after training) and the
worklist of overdue ones.

The months are the policy parameter training.follow_up_months in force on the completion day for the
program's region; the due day is the completion day that many calendar months later (a month-end day
stays at the end of a shorter month: 31 January + 1 month is 28 or 29 February).
"""

import logging
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.parameters import parameter_snapshot
from apps.training.models import Enrollment, FollowUp, SkillLevel, WorklistItem
from apps.training.services.certificates import CERTIFIABLE

logger = logging.getLogger(__name__)

FOLLOW_UP_MONTHS_KEY = "training.follow_up_months"
# Rows per bulk insert when materialising the worklist: small rows, so a few thousand is cheap.
WORKLIST_BATCH = 2000


def follow_up_months(day: date, region_code: str) -> tuple[int, ...]:
    snapshot = parameter_snapshot(as_of=day, region_code=region_code)
    try:
        return tuple(int(m) for m in snapshot.get(FOLLOW_UP_MONTHS_KEY).value)
    except MissingParameter as error:
        raise ApplicationError("missing_parameter", str(error)) from error


def follow_up_due_on(completed_on: date, months: int) -> date:
    return completed_on + relativedelta(months=months)


def follow_ups_schedule(*, enrollment: Enrollment, completed_on: date) -> list[int]:
    """One follow-up per milestone; a milestone already scheduled is left as it is (unique key)."""
    months = follow_up_months(completed_on, enrollment.region_id)
    FollowUp.objects.bulk_create(
        [FollowUp(enrollment=enrollment, months=m, due_on=follow_up_due_on(completed_on, m)) for m in months],
        ignore_conflicts=True,
    )
    logger.info("follow-ups scheduled", extra={"enrollment": enrollment.pk, "completed_on": completed_on.isoformat(),
                                               "months": list(months)})
    return list(months)


@transaction.atomic
def follow_up_record(*, follow_up: FollowUp, user, data: dict) -> FollowUp:
    errors = {}
    if data.get("employment_status") not in FollowUp.EmploymentStatus.values:
        errors["employment_status"] = ["请选择就业状态"]
    if data.get("skill_level") and data["skill_level"] not in SkillLevel.values:
        errors["skill_level"] = ["等级不正确"]
    raw_wage = data.get("monthly_wage")
    wage: Decimal | None = None
    if raw_wage not in (None, ""):
        try:
            wage = Decimal(str(raw_wage))
            if wage < 0:
                raise ValueError
        except (ArithmeticError, ValueError):
            errors["monthly_wage"] = ["请填写月工资（元）"]
    if errors:
        raise ApplicationError("invalid_follow_up", "回访信息有误", errors)
    follow_up.done_on = data.get("done_on") or timezone.localdate()
    follow_up.employment_status = data["employment_status"]
    follow_up.skill_level = data.get("skill_level") or ""
    follow_up.monthly_wage = wage
    follow_up.note = (data.get("note") or "")[:300]
    follow_up.recorded_by = user
    follow_up.save()
    resolved = WorklistItem.objects.filter(follow_up=follow_up, resolved_at__isnull=True).update(
        resolved_at=timezone.now())
    logger.info("follow-up recorded", extra={"follow_up": follow_up.pk, "enrollment": follow_up.enrollment_id,
                                             "employment_status": follow_up.employment_status,
                                             "worklist_items_resolved": resolved})
    return follow_up


@transaction.atomic
def worklist_refresh(*, today: date | None = None) -> dict:
    """Idempotent: one open item per overdue follow-up (the unique key makes a re-run a no-op);
    items whose follow-up has been recorded are closed."""
    today = today or timezone.localdate()
    overdue = FollowUp.objects.filter(due_on__lt=today, done_on__isnull=True, worklist_item__isnull=True,
                                      enrollment__status__in=CERTIFIABLE)
    new = [WorklistItem(follow_up_id=pk, region_id=region, due_on=due)
           for pk, region, due in overdue.values_list("id", "enrollment__region_id", "due_on")]
    WorklistItem.objects.bulk_create(new, batch_size=WORKLIST_BATCH, ignore_conflicts=True)
    closed = WorklistItem.objects.filter(resolved_at__isnull=True, follow_up__done_on__isnull=False).update(
        resolved_at=timezone.now())
    logger.info("follow-up worklist refreshed", extra={"today": today.isoformat(), "new_items": len(new),
                                                       "closed": closed})
    return {"created": len(new), "closed": closed}
