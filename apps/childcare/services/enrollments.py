"""Writes for enrolled children: enrolment (registering the child and guardians in the person registry
when new), edits, guardians and leaving. One child is in care at one institution at a time."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.applicants.models import Person
from apps.applicants.services import person_get_or_create
from apps.childcare.models import Enrollment, EnrollmentGuardian, Institution
from apps.childcare.services.institutions import full_clean
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.validators import normalize_id_number

logger = logging.getLogger(__name__)


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
    full_clean(enrollment, exclude=["child", "institution"])
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
    logger.info("child enrolled", extra={"enrollment_id": enrollment.pk, "institution_id": institution.pk,
                                         "start_date": start_date.isoformat()})
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


# ---------------------------------------------------------------- leaving (in care → left)


def _no_attendance_after(enrollment: Enrollment, user, payload: dict) -> None:
    later = enrollment.attendance.filter(month__gt=payload["end_date"]).order_by("month").first()
    if later is not None:
        message = f"{later.month:%Y-%m} 已有出勤记录，离托日期不能早于该月"
        raise ApplicationError("attendance_after_leaving", message, {"end_date": [message]})


# The status is read from end_date (Enrollment.care_status), so the service checks the move and then
# writes the date through enrollment_save, which re-checks every enrollment rule.
ENROLLMENT_LIFECYCLE = Lifecycle(
    transitions=[
        Transition("leave", "办理离托", sources=(Enrollment.CareStatus.IN_CARE,), target=Enrollment.CareStatus.LEFT,
                   state_code="already_left", guards=(_no_attendance_after,), needs_form=True,
                   style="outline-secondary", icon="box-arrow-right"),
    ],
    status_label=lambda status: str(Enrollment.CareStatus(status).label),
    status_field="care_status",
)


@transaction.atomic
def enrollment_leave(*, enrollment: Enrollment, end_date: date, user=None) -> Enrollment:
    """Record the last day in care. Attendance already entered after that month must be removed first."""
    ENROLLMENT_LIFECYCLE.check(enrollment, "leave", user, {"end_date": end_date})
    enrollment.end_date = end_date
    enrollment = enrollment_save(enrollment=enrollment)
    logger.info("child left care", extra={"enrollment_id": enrollment.pk, "end_date": end_date.isoformat()})
    return enrollment
