"""Double enrollment: the service refuses overlaps on every database; PostgreSQL also has an exclusion constraint."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from apps.childcare.models import Attendance, Enrollment, Institution
from apps.childcare.services import attendance, enrollments, institutions
from apps.core.exceptions import ApplicationError, ConflictError
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory, child

pytestmark = pytest.mark.django_db


def new_enrollment(kid, institution, start, end=None):
    return enrollments.enrollment_save(enrollment=Enrollment(child=kid, institution=institution, age_group="toddler",
                                                       start_date=start, end_date=end))


@pytest.mark.parametrize(("existing", "new", "refused"), [
    ((date(2025, 1, 1), None), (date(2025, 6, 1), None), True),  # open enrollment elsewhere
    ((date(2025, 1, 1), date(2025, 3, 15)), (date(2025, 3, 15), None), True),  # same day: both inclusive
    ((date(2025, 1, 1), date(2025, 3, 15)), (date(2025, 3, 16), None), False),  # next day: fine
    ((date(2025, 5, 1), None), (date(2025, 1, 1), date(2025, 4, 30)), False),  # before it
    ((date(2025, 5, 1), None), (date(2025, 1, 1), date(2025, 5, 1)), True),
    ((date(2025, 3, 1), date(2025, 3, 31)), (date(2025, 1, 1), None), True),  # new one wraps the old
])
def test_overlapping_enrollments_at_two_institutions_are_refused(existing, new, refused):
    kid = child()
    a, b = InstitutionFactory(), InstitutionFactory()
    new_enrollment(kid, a, *existing)
    if refused:
        with pytest.raises(ConflictError) as error:
            new_enrollment(kid, b, *new)
        assert error.value.code == "enrollment_overlap"
        assert a.name in error.value.message
        assert Enrollment.objects.filter(child=kid).count() == 1
    else:
        new_enrollment(kid, b, *new)
        assert Enrollment.objects.filter(child=kid).count() == 2


def test_same_child_twice_at_the_same_institution_is_refused_too():
    kid, place = child(), InstitutionFactory()
    new_enrollment(kid, place, date(2025, 1, 1))
    with pytest.raises(ConflictError):
        new_enrollment(kid, place, date(2025, 2, 1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL only")
def test_postgresql_exclusion_constraint_refuses_overlaps_that_bypass_the_service():
    kid = child()
    Enrollment.objects.create(child=kid, institution=InstitutionFactory(), age_group="toddler",
                             start_date=date(2025, 1, 1), end_date=date(2025, 3, 15))
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(child=kid, institution=InstitutionFactory(), age_group="toddler",
                                 start_date=date(2025, 3, 15))
    Enrollment.objects.create(child=kid, institution=InstitutionFactory(), age_group="toddler",
                             start_date=date(2025, 3, 16))


def test_enrollment_create_registers_a_new_child_and_guardian_from_the_id_number():
    from apps.core.demo import make_id_number

    place = InstitutionFactory(region_id="220104")
    number = make_id_number("220104", date(2024, 2, 3), 7, True)
    mother = make_id_number("220104", date(1994, 2, 3), 8, True)
    enrollment = enrollments.enrollment_create(
        institution=place, child_id_number=number, child_name="李小雨", start_date=date(2025, 3, 1),
        age_group="toddler", guardians=[enrollments.GuardianInput(mother, "王芳", "mother", "13900000000")])
    assert enrollment.child.birth_date == date(2024, 2, 3)
    assert enrollment.child.region_id == "220104"
    assert enrollment.guardians.get().person.name == "王芳"


def test_known_id_number_with_another_name_is_refused():
    kid = child(name="张三")
    with pytest.raises(ApplicationError) as error:
        enrollments.enrollment_create(institution=InstitutionFactory(), child_id_number=kid.id_number, child_name="李四",
                                  start_date=date(2025, 1, 1), age_group="toddler")
    assert error.value.code == "name_mismatch"


def test_closed_institution_takes_no_new_children():
    place = InstitutionFactory()
    Institution.objects.filter(pk=place.pk).update(status="closed")
    place.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        new_enrollment(child(), place, date(2025, 1, 1))
    assert error.value.code == "institution_not_operating"


def test_enrollment_before_birth_is_refused():
    with pytest.raises(ApplicationError):
        new_enrollment(child(birth=date(2025, 5, 1)), InstitutionFactory(), date(2025, 4, 1))


def test_leaving_records_the_last_day_and_refuses_attendance_after_it():
    enrollment = EnrollmentFactory(start_date=date(2025, 1, 1))
    Attendance.objects.create(enrollment=enrollment, month=date(2025, 5, 1), days_present=10)
    with pytest.raises(ApplicationError):
        enrollments.enrollment_leave(enrollment=enrollment, end_date=date(2025, 4, 20))
    left = enrollments.enrollment_leave(enrollment=enrollment, end_date=date(2025, 5, 20))
    assert left.end_date == date(2025, 5, 20)
    with pytest.raises(ConflictError):
        enrollments.enrollment_leave(enrollment=left, end_date=date(2025, 6, 1))


@pytest.mark.parametrize(("month", "days", "ok"), [
    (date(2025, 2, 1), 28, True), (date(2025, 2, 1), 29, False), (date(2025, 3, 1), 31, True),
    (date(2024, 12, 1), 5, False),  # before the enrollment
])
def test_attendance_entry_is_checked(month, days, ok):
    enrollment = EnrollmentFactory(start_date=date(2025, 1, 1))
    if ok:
        assert attendance.attendance_record(enrollment=enrollment, month=month, days_present=days).days_present == days
    else:
        with pytest.raises(ApplicationError):
            attendance.attendance_record(enrollment=enrollment, month=month, days_present=days)


def test_institution_rules():
    with pytest.raises(ApplicationError) as error:
        institutions.institution_save(institution=InstitutionFactory.build(category="other"))
    assert "category" in error.value.fields
    with pytest.raises(ApplicationError):
        institutions.institution_save(institution=InstitutionFactory.build(uscc="91220102MA00000000"))
    with pytest.raises(ApplicationError):
        institutions.institution_save(institution=InstitutionFactory.build(inclusive_certified_to=date(2023, 1, 1)))
    saved = institutions.institution_save(institution=InstitutionFactory.build())
    assert saved.pk and saved.total_places == 30
