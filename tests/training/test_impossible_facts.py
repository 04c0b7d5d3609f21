"""Training registration: a malformed phone is refused on the form and the API (issue 12, fault 5)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.core.demo import make_id_number
from apps.training.forms import EnrollmentRegisterForm
from apps.training.models import Enrollment
from tests.training.conftest import make_program

pytestmark = pytest.mark.django_db


def test_register_form_refuses_a_malformed_phone():
    form = EnrollmentRegisterForm(data={"id_number": make_id_number("220102", date(1991, 2, 3), 5, True),
                                        "name": "孙丽", "phone": "139000", "target_group": "women_returning"})
    form.is_valid()
    assert [e.code for e in form.errors.as_data()["phone"]] == ["invalid_phone"]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("phone", "139000", "invalid_phone"),
    ("id_number", "FUTURE", "future_birth_date"),
])
def test_api_registration_refuses_impossible_facts(api_for, caseworker, occupations, field, value, code):
    program = make_program(occupations)
    body = {"id_number": make_id_number("220102", date(1991, 2, 3), 5, True), "name": "孙丽", "phone": "13900000000",
            "program": program.pk, "target_group": "women_returning"}
    body[field] = (make_id_number("220102", timezone.localdate() + timedelta(days=10), 6, True)
                   if value == "FUTURE" else value)
    response = api_for(caseworker).post("/api/v1/training/enrollments/", body, format="json")
    assert response.status_code == 400, response.json()
    assert [e["code"] for e in response.json()["fields"][field]] == [code]
    assert not Enrollment.objects.exists()
