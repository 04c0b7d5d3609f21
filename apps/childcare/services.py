"""Writes for the registry side: institutions, staff, inspections, enrollments, guardians, attendance.

Subsidy claims and batch runs are in claims.py (a separate concept with its own workflow).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.applicants.models import Person
from apps.applicants.services import person_get_or_create
from apps.childcare.models import (
    Attendance,
    Enrollment,
    EnrollmentGuardian,
    Finding,
    Inspection,
    Institution,
    OperatingSubsidyClaim,
    StaffMember,
)
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.validators import normalize_id_number


def _full_clean(obj, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        fields = error.message_dict
        first = next(iter(fields.values()))[0] if fields else "提交的数据有误"
        raise ApplicationError("invalid", first, fields) from error


# ---------------------------------------------------------------- institutions


@transaction.atomic
def institution_save(*, institution: Institution) -> Institution:
    """Create or update. The 普惠 certificate belongs to the inclusive categories only and needs a start date."""
    institution.uscc = (institution.uscc or "").strip().upper()
    errors: dict[str, list[str]] = {}
    has_certificate = bool(institution.inclusive_certificate_number or institution.inclusive_certified_from)
    if institution.category == Institution.Category.OTHER and has_certificate:
        errors["category"] = ["持有普惠认定的机构不能登记为非普惠民办；请修改类别或清除认定信息"]
    if institution.inclusive_certified_to and not institution.inclusive_certified_from:
        errors["inclusive_certified_from"] = ["请填写普惠认定起始日"]
    if (institution.inclusive_certified_from and institution.inclusive_certified_to
            and institution.inclusive_certified_to < institution.inclusive_certified_from):
        errors["inclusive_certified_to"] = ["普惠认定截止日不能早于起始日"]
    if errors:
        raise ApplicationError("invalid", next(iter(errors.values()))[0], errors)
    _full_clean(institution)
    institution.save()
    return institution


@transaction.atomic
def staff_member_save(*, staff: StaffMember) -> StaffMember:
    if staff.left_on and staff.hired_on and staff.left_on < staff.hired_on:
        raise ApplicationError("invalid", "离职日期不能早于入职日期", {"left_on": ["离职日期不能早于入职日期"]})
    _full_clean(staff)
    staff.save()
    return staff


@transaction.atomic
def inspection_save(*, inspection: Inspection) -> Inspection:
    if inspection.visited_on and inspection.visited_on > date.today():
        raise ApplicationError("invalid", "检查日期不能晚于今天", {"visited_on": ["检查日期不能晚于今天"]})
    _full_clean(inspection)
    inspection.save()
    return inspection


@transaction.atomic
def finding_save(*, finding: Finding) -> Finding:
    if finding.rectification_deadline and finding.inspection_id and \
            finding.rectification_deadline < finding.inspection.visited_on:
        raise ApplicationError("invalid", "整改期限不能早于检查日期",
                               {"rectification_deadline": ["整改期限不能早于检查日期"]})
    if finding.status == Finding.Status.RECTIFIED and not finding.rectified_on:
        raise ApplicationError("invalid", "请填写整改完成日期", {"rectified_on": ["请填写整改完成日期"]})
    _full_clean(finding)
    finding.save()
    return finding


@transaction.atomic
def finding_rectify(*, finding: Finding, rectified_on: date, follow_up: str) -> Finding:
    """Follow-up visit confirmed the rectification; an open serious finding stops blocking approvals."""
    if finding.status == Finding.Status.RECTIFIED:
        raise ConflictError("already_rectified", "该问题已整改完毕")
    if rectified_on < finding.inspection.visited_on:
        raise ApplicationError("invalid", "整改完成日期不能早于检查日期", {"rectified_on": ["整改完成日期不能早于检查日期"]})
    finding.status, finding.rectified_on, finding.follow_up = Finding.Status.RECTIFIED, rectified_on, follow_up
    finding.save()
    return finding


def institution_has_open_serious_finding(institution: Institution) -> bool:
    return Finding.objects.filter(inspection__institution=institution, severity=Finding.Severity.SERIOUS,
                                  status=Finding.Status.OPEN).exists()


# ---------------------------------------------------------------- enrollments


def _overlapping_enrollment(enrollment: Enrollment) -> Enrollment | None:
    others = Enrollment.objects.filter(child_id=enrollment.child_id).exclude(pk=enrollment.pk)
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=enrollment.start_date))
    if enrollment.end_date is not None:
        others = others.filter(start_date__lte=enrollment.end_date)
    return others.select_related("institution").order_by("start_date").first()


def _overlap_error(clash: Enrollment) -> ApplicationError:
    until = f"{clash.end_date:%Y-%m-%d}" if clash.end_date else "今"
    message = (f"该婴幼儿在{clash.institution.name}的在托期（{clash.start_date:%Y-%m-%d} 至 {until}）与本次入托时间重叠；"
               "同一婴幼儿同一时间只能在一家机构在托，请先办理离托")
    return ConflictError("enrollment_overlap", message, {"start_date": [message]})


@transaction.atomic
def enrollment_save(*, enrollment: Enrollment) -> Enrollment:
    """Create or update one enrollment; overlapping enrollments of the same child anywhere are refused.

    The child's person row is locked first, so two caseworkers enrolling the same child at once queue
    here instead of both passing the check; PostgreSQL's exclusion constraint backs this up.
    """
    child = Person.objects.select_for_update().get(pk=enrollment.child_id)
    institution = enrollment.institution
    if enrollment._state.adding and institution.status != Institution.Status.OPERATING:
        message = f"{institution.name}当前为“{institution.get_status_display()}”，不能办理新入托"
        raise ApplicationError("institution_not_operating", message, {"institution": [message]})
    if enrollment.start_date < child.birth_date:
        raise ApplicationError("invalid", "入托日期不能早于出生日期", {"start_date": ["入托日期不能早于出生日期"]})
    if enrollment.end_date is not None and enrollment.end_date < enrollment.start_date:
        raise ApplicationError("invalid", "离托日期不能早于入托日期", {"end_date": ["离托日期不能早于入托日期"]})
    _full_clean(enrollment, exclude=["child", "institution"])
    clash = _overlapping_enrollment(enrollment)
    if clash is not None:
        raise _overlap_error(clash)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as error:  # the PostgreSQL exclusion constraint: a writer that skipped the lock
        clash = _overlapping_enrollment(enrollment)
        if clash is not None:
            raise _overlap_error(clash) from error
        raise
    return enrollment


@dataclass(frozen=True)
class GuardianInput:
    id_number: str
    name: str
    relationship: str
    phone: str = ""


def _registry_person(*, id_number: str, name: str, region_id: str, field: str) -> Person:
    """Find the person by ID number or register them; the name must match a known person's."""
    try:
        person, _created = person_get_or_create(id_number=normalize_id_number(id_number),
                                                defaults={"name": name.strip(), "region_id": region_id})
    except ApplicationError as error:
        raise ApplicationError(error.code, error.message, {field: [error.message]}) from error
    if name and person.name != name.strip():
        message = f"身份证号已登记为“{person.name}”，与填写的姓名“{name.strip()}”不一致"
        raise ApplicationError("name_mismatch", message, {field: [message]})
    return person


@transaction.atomic
def enrollment_create(*, institution: Institution, child_id_number: str, child_name: str, start_date: date,
                     age_group: str, guardians: Iterable[GuardianInput] = ()) -> Enrollment:
    """Enrol a child from the registry (registered on the spot when the ID number is new)."""
    child = _registry_person(id_number=child_id_number, name=child_name, region_id=institution.region_id,
                             field="child_id_number")
    enrollment = enrollment_save(enrollment=Enrollment(child=child, institution=institution, age_group=age_group,
                                                   start_date=start_date))
    for guardian in guardians:
        guardian_add(enrollment=enrollment, guardian=guardian)
    return enrollment


@transaction.atomic
def guardian_add(*, enrollment: Enrollment, guardian: GuardianInput) -> EnrollmentGuardian:
    person = _registry_person(id_number=guardian.id_number, name=guardian.name,
                              region_id=enrollment.institution.region_id, field="guardian_id_number")
    if person.pk == enrollment.child_id:
        raise ApplicationError("invalid", "监护人不能是婴幼儿本人", {"guardian_id_number": ["监护人不能是婴幼儿本人"]})
    row, _created = EnrollmentGuardian.objects.update_or_create(
        enrollment=enrollment, person=person, defaults={"relationship": guardian.relationship, "phone": guardian.phone})
    return row


@transaction.atomic
def enrollment_leave(*, enrollment: Enrollment, end_date: date) -> Enrollment:
    """Record the last day in care. Attendance already entered after that month must be removed first."""
    if enrollment.end_date is not None:
        raise ConflictError("already_left", f"该婴幼儿已于{enrollment.end_date:%Y-%m-%d}离托")
    later = enrollment.attendance.filter(month__gt=end_date).order_by("month").first()
    if later is not None:
        message = f"{later.month:%Y-%m} 已有出勤记录，离托日期不能早于该月"
        raise ApplicationError("attendance_after_leaving", message, {"end_date": [message]})
    enrollment.end_date = end_date
    return enrollment_save(enrollment=enrollment)


# ---------------------------------------------------------------- attendance


def month_start(value: date) -> date:
    return value.replace(day=1)


def attendance_problem(*, enrollment: Enrollment, month: date, days_present: int, frozen_years: set[int]) -> str | None:
    """The Chinese reason a monthly attendance figure is refused, or None. Shared by entry and import."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
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
        bulk_create_with_history(new, Attendance, batch_size=1000)
    if changed:
        bulk_update_with_history(changed, Attendance, ["days_present"], batch_size=1000)
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def frozen_claim_years(institution_id) -> set[int]:
    return set(OperatingSubsidyClaim.objects.filter(institution_id=institution_id)
               .exclude(status__in=OperatingSubsidyClaim.EDITABLE).values_list("year", flat=True))


@transaction.atomic
def attendance_record(*, enrollment: Enrollment, month: date, days_present: int) -> Attendance:
    month = month_start(month)
    problem = attendance_problem(enrollment=enrollment, month=month, days_present=days_present,
                                 frozen_years=frozen_claim_years(enrollment.institution_id))
    if problem:
        raise ApplicationError("attendance_invalid", problem, {"days_present": [problem]})
    row, _created = Attendance.objects.update_or_create(enrollment=enrollment, month=month,
                                                        defaults={"days_present": days_present})
    return row
