"""Writes for monthly attendance: one figure entered by hand, or many from the import (attendance_import.py)."""

from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.childcare.child_months import month_end
from apps.childcare.models import Attendance, Enrollment
from apps.childcare.selectors import frozen_claim_years
from apps.core.exceptions import ApplicationError

# Rows per INSERT/UPDATE statement in the bulk write: an import chunk fits in a few statements.
BULK_BATCH_SIZE = 1000


def attendance_problem(*, enrollment: Enrollment, month: date, days_present: int, frozen_years: set[int]) -> str | None:
    """The Chinese reason a monthly attendance figure is refused, or None. Shared by entry and import."""
    last = month_end(month)
    if days_present < 0 or days_present > last.day:
        return f"出勤天数应在0到{last.day}之间"
    if not enrollment.covers(month, last):
        return f"{month:%Y-%m} 该婴幼儿不在该机构在托期内"
    if month.year in frozen_years:
        return f"{month.year}年补助申报已提交或已审核，出勤数据不能再修改"
    return None


@transaction.atomic
def attendance_upsert_many(*, rows: list[tuple[Enrollment, date, int]]) -> tuple[int, int, int]:
    """(enrollment, first day of month, days present) in bulk, for the import (whose pass 1 has already
    applied `attendance_problem` to every row). Returns (created, updated, unchanged)."""
    existing = {(a.enrollment_id, a.month): a for a in Attendance.objects.select_for_update().filter(
        enrollment_id__in={e.pk for e, _m, _d in rows}, month__in={m for _e, m, _d in rows})}
    new, changed = [], []
    for enrollment, month, days in rows:
        current = existing.get((enrollment.pk, month))
        if current is None:
            new.append(Attendance(enrollment=enrollment, month=month, days_present=days))
        elif current.days_present != days:
            current.days_present = days
            changed.append(current)
    if new:
        bulk_create_with_history(new, Attendance, batch_size=BULK_BATCH_SIZE)
    if changed:
        bulk_update_with_history(changed, Attendance, ["days_present"], batch_size=BULK_BATCH_SIZE)
    return len(new), len(changed), len(rows) - len(new) - len(changed)


@transaction.atomic
def attendance_record(*, enrollment: Enrollment, month: date, days_present: int) -> Attendance:
    month = month.replace(day=1)
    problem = attendance_problem(enrollment=enrollment, month=month, days_present=days_present,
                                 frozen_years=frozen_claim_years([enrollment.institution_id]).get(
                                     enrollment.institution_id, set()))
    if problem:
        raise ApplicationError("attendance_invalid", problem, {"days_present": [problem]})
    row, _created = Attendance.objects.update_or_create(enrollment=enrollment, month=month,
                                                        defaults={"days_present": days_present})
    return row
