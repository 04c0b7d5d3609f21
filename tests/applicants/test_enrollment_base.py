"""The insurance enrollment's own 缴费基数 (money, to the fen) — what the maternity allowance is computed on."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.applicants.forms import EnrollmentForm
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, role="administrator", region_id="220000")


def test_admin_lists_and_edits_the_enrollment_base(client_for, superuser):
    enrollment = EnrollmentFactory(person=PersonFactory(region_id="220102"), contribution_base=Decimal("6000.00"))
    client = client_for(superuser)
    listing = client.get(reverse("admin:applicants_insuranceenrollment_changelist"))
    assert listing.status_code == 200 and "6000.00" in listing.content.decode()
    page = client.get(reverse("admin:applicants_insuranceenrollment_change", args=[enrollment.pk]))
    assert page.status_code == 200 and 'name="contribution_base"' in page.content.decode()


@pytest.mark.parametrize(("value", "valid"), [("6000.00", True), ("6000.5", True), ("6000.005", False)])
def test_form_takes_the_base_to_the_fen(value, valid):
    form = EnrollmentForm(data={"kind": "flexible_medical", "start_date": "2024-03-01", "contribution_base": value})
    assert form.is_valid() is valid
    if not valid:
        assert "contribution_base" in form.errors
