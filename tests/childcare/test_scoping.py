"""Scoping goes through core.scoping and fails closed: no user or no region means nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.childcare.attendance_import import AttendanceSpec
from apps.childcare.forms import InstitutionForm
from apps.childcare.models import Attendance, ClaimRun, Institution
from apps.childcare.selectors import county_choices
from apps.childcare.services.claim_runs import run_institutions
from apps.imports.models import ImportBatch
from apps.imports.spec import Context, Row
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.childcare.test_imports import attendance_import, csv_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment():
    return EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))


@pytest.mark.parametrize("who", ["nobody", "no_region", "inactive"])
def test_attendance_spec_without_a_scoped_user_sees_no_institution(enrollment, who):
    """Even handed an unrestricted prefix, the spec asks core.scoping about the user, not the prefix."""
    user = {"nobody": lambda: None,
            "no_region": lambda: UserFactory(username="adrift", region_id=None),
            "inactive": lambda: UserFactory(username="gone", region_id="220102", is_active=False)}[who]()
    row = Row(line=2, values={"id_number": enrollment.child.id_number, "institution_uscc": enrollment.institution.uscc,
                              "month": date(2025, 3, 1), "days_present": 18})
    [issue] = AttendanceSpec().check_chunk([row], Context(user=user, scope_prefix="", regions=set()))
    assert issue.column == "institution_uscc"


def test_attendance_import_without_a_user_imports_nothing(enrollment):
    row = f"{enrollment.child.id_number},{enrollment.institution.uscc},2025-03,18\n"
    batch = attendance_import(None, csv_file(row))
    assert batch.status != ImportBatch.Status.SUCCEEDED
    assert not Attendance.objects.exists()


def test_attendance_import_refuses_an_institution_of_another_region(other_caseworker, enrollment):
    row = f"{enrollment.child.id_number},{enrollment.institution.uscc},2025-03,18\n"
    assert attendance_import(other_caseworker, csv_file(row)).status != ImportBatch.Status.SUCCEEDED
    assert not Attendance.objects.exists()


def test_region_choices_are_the_users_counties_only(caseworker, supervisor):
    assert list(county_choices(user=caseworker).values_list("code", flat=True)) == ["220102"]
    codes = set(county_choices(user=supervisor).values_list("code", flat=True))
    assert "220102" in codes and all(code.startswith("2201") for code in codes)
    assert not county_choices(user=UserFactory(username="adrift", region_id=None)).exists()
    assert list(InstitutionForm(user=caseworker).fields["region"].queryset.values_list("code", flat=True)) == ["220102"]


def test_a_run_computes_inside_its_region_and_the_starters_scope(supervisor):
    inside = EnrollmentFactory(institution=InstitutionFactory(region_id="220102"), start_date=date(2025, 1, 1))
    EnrollmentFactory(institution=InstitutionFactory(region_id="220204"), start_date=date(2025, 1, 1))
    run = ClaimRun.objects.create(year=2025, region_id="220100", created_by=supervisor)
    assert [i.pk for i in run_institutions(run)] == [inside.institution_id]
    root = UserFactory(username="root", is_superuser=True, region_id="220000")
    narrow = ClaimRun.objects.create(year=2025, region_id="220100", created_by=root)
    assert [i.pk for i in run_institutions(narrow)] == [inside.institution_id]  # the run's region, not "all"
    supervisor.is_active = False
    supervisor.save()
    assert run_institutions(ClaimRun.objects.get(pk=run.pk)) == []  # fail closed


def test_admin_refuses_to_move_an_institution_out_of_the_staff_users_region(client_for):
    staff = UserFactory(username="staff_nanguan", region_id="220102", is_staff=True, is_superuser=False,
                        role="administrator")
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="childcare"))
    place = InstitutionFactory(region_id="220102")
    response = client_for(staff).post(reverse("admin:childcare_institution_change", args=[place.pk]), {
        "name": place.name, "uscc": place.uscc, "category": place.category, "region": "220204",
        "places_infant": 1, "places_toddler": 1, "places_preschool": 1, "status": "operating",
        "inclusive_certificate_number": place.inclusive_certificate_number,
        "inclusive_certified_from": "2024-01-01",
        "staff-TOTAL_FORMS": 0, "staff-INITIAL_FORMS": 0}, follow=True)
    assert "只能登记本区划内的机构" in response.content.decode()
    assert Institution.objects.get(pk=place.pk).region_id == "220102"
