"""Impossible facts are refused with a field-level Chinese message and a stable code (issue 12, fault 5):
negative numbers, birth dates (and 身份证号 birth dates) after today, delivery dates far ahead, malformed
phone numbers — in forms, the API and imports alike. The checks live once, in apps.core.validators."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.applicants.forms import PersonForm
from apps.applicants.models import Person
from apps.childcare.forms import InstitutionForm
from apps.core import validators
from apps.core.demo import make_id_number
from apps.imports.models import ImportBatch, ImportIssue
from apps.imports.services import import_file
from tests.imports.helpers import APPLICANT_HEADER, csv_file, person_id

TODAY = timezone.localdate()


def future_id_number(days: int = 30) -> str:
    """A well-formed 身份证号 (right checksum) of someone born `days` after today."""
    return make_id_number("220102", TODAY + timedelta(days=days), 77, True)


def code_of(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.error_list[0].code


# ---------------------------------------------------------------- the validators themselves


@pytest.mark.parametrize(("raw", "normal"), [
    ("13812345678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("0431-88888888", "0431-88888888"),
    ("043188888888", "0431-88888888"),
    ("010 12345678", "010-12345678"),
    ("(0431)88888888", "0431-88888888"),
    ("", ""),
])
def test_valid_chinese_mobile_and_landline_numbers(raw, normal):
    assert validators.normalize_phone(raw) == normal
    validators.validate_phone(raw)


@pytest.mark.parametrize("raw", [
    "12345", "1381234567", "138123456789", "0431-8123456", "95588", "400-123-4567", "+1 650 253 0000",
    "电话13812345678", "abc", "1-1-1-1-1-1-1",
])
def test_malformed_phone_numbers_are_refused(raw):
    assert code_of(lambda: validators.validate_phone(raw)) == "invalid_phone"


@pytest.mark.parametrize(("value", "ok"), [(0, True), (Decimal("0.00"), True), (5, True), (None, True),
                                           (-1, False), (Decimal("-0.01"), False)])
def test_non_negative(value, ok):
    if ok:
        validators.validate_non_negative(value)
    else:
        assert code_of(lambda: validators.validate_non_negative(value)) == "negative"


@pytest.mark.parametrize(("days", "ok"), [(-1, True), (0, True), (1, False)])
def test_birth_date_not_after_today(days, ok):
    day = TODAY + timedelta(days=days)
    if ok:
        validators.validate_birth_date(day)
    else:
        assert code_of(lambda: validators.validate_birth_date(day)) == "future_birth_date"


@pytest.mark.parametrize("days", [0, 1, 3650])
def test_id_number_birth_date_today_or_earlier_is_fine(days):
    validators.validate_id_number_birth_date(make_id_number("220102", TODAY - timedelta(days=days), 1, False))


def test_id_number_born_tomorrow_is_refused():
    assert code_of(lambda: validators.validate_id_number_birth_date(future_id_number(1))) == "future_birth_date"


@pytest.mark.parametrize(("days", "ok"), [
    (validators.DELIVERY_MAX_DAYS_AHEAD, True), (validators.DELIVERY_MAX_DAYS_AHEAD + 1, False), (-400, True),
])
def test_delivery_date_not_far_in_the_future(days, ok):
    day = TODAY + timedelta(days=days)
    if ok:
        validators.validate_delivery_date(day)
    else:
        assert code_of(lambda: validators.validate_delivery_date(day)) == "delivery_date_too_far"


# ---------------------------------------------------------------- forms


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "code"), [
    ("phone", "12345", "invalid_phone"),
    ("id_number", "FUTURE", "future_birth_date"),
])
def test_person_form_refuses_with_a_field_error(caseworker, field, value, code):
    data = {"name": "王芳", "id_number": person_id(31), "phone": "13812345678", "region": "220102"}
    data[field] = future_id_number() if value == "FUTURE" else value
    form = PersonForm(data=data, user=caseworker)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()[field]] == [code]


@pytest.mark.django_db
def test_institution_form_refuses_a_malformed_phone(caseworker):
    form = InstitutionForm(data={"phone": "0431-12"}, user=caseworker)
    form.is_valid()
    assert [e.code for e in form.errors.as_data()["phone"]] == ["invalid_phone"]


@pytest.mark.django_db
@pytest.mark.parametrize(("facts", "field", "code"), [
    ({"calculator": "maternity-allowance", "facts-delivery_date": "2099-01-01", "facts-flexible_worker": "on",
      "facts-continuous_enrollment_months": "14"}, "delivery_date", "delivery_date_too_far"),
    ({"calculator": "maternity-allowance", "facts-delivery_date": "2025-08-15", "facts-flexible_worker": "on",
      "facts-continuous_enrollment_months": "-3"}, "continuous_enrollment_months", "negative"),
])
def test_calculator_form_shows_the_field_error(client_for, caseworker, facts, field, code):
    response = client_for(caseworker).post(reverse("eligibility:calculator"), {**facts, "action": "compute"})
    assert response.status_code == 400
    body = response.content.decode()
    message = {"negative": "不能为负数", "delivery_date_too_far": "分娩日期不能晚于今天之后"}[code]
    assert message in body


# ---------------------------------------------------------------- API


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "code"), [
    ("phone", "0431-8123456", "invalid_phone"),
    ("id_number", "FUTURE", "future_birth_date"),
])
def test_person_api_refuses_with_a_field_error(api_for, caseworker, field, value, code):
    body = {"id_number": person_id(32), "name": "周杰", "region_code": "220102", "phone": "13812345678"}
    body[field] = future_id_number() if value == "FUTURE" else value
    response = api_for(caseworker).post("/api/v1/applicants/", body, format="json")
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["fields"][field]] == [code]
    assert not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("calculator", "facts", "field", "code"), [
    ("maternity-allowance", {"delivery_date": "2025-08-15", "flexible_worker": True,
                             "continuous_enrollment_months": -1}, "continuous_enrollment_months", "negative"),
    ("maternity-allowance", {"delivery_date": "2025-08-15", "flexible_worker": True,
                             "continuous_enrollment_months": 14, "contribution_base": "-100.00"},
     "contribution_base", "negative"),
    ("maternity-allowance", {"delivery_date": (TODAY + timedelta(days=400)).isoformat(), "flexible_worker": True,
                             "continuous_enrollment_months": 14}, "delivery_date", "delivery_date_too_far"),
    ("childcare-subsidy", {"year": 2025, "child_birth_date": (TODAY + timedelta(days=1)).isoformat()},
     "child_birth_date", "future_birth_date"),
    ("leave-entitlements", {"year": 2025, "sex": "female", "employed": True,
                            "child_birth_date": (TODAY + timedelta(days=5)).isoformat()},
     "child_birth_date", "future_birth_date"),
    ("stable-job-refund", {"facts_year": 2025, "entity_type": "enterprise", "size_class": "small",
                           "months_paid_in_full": 12, "has_arrears": False, "serious_dishonesty": False,
                           "headcount_start": -40, "headcount_end": 39, "contributions_paid": "86400.00"},
     "headcount_start", "negative"),
    ("stable-job-refund", {"facts_year": 2025, "entity_type": "enterprise", "size_class": "small",
                           "months_paid_in_full": 12, "has_arrears": False, "serious_dishonesty": False,
                           "headcount_start": 40, "headcount_end": 39, "contributions_paid": "-0.01"},
     "contributions_paid", "negative"),
    ("enterprise-size", {"facts_year": 2025, "industry": "industrial", "employees": -120, "revenue": "5000.00"},
     "employees", "negative"),
    ("childcare-operating-subsidy", {"year": 2025, "category": "private_inclusive", "region_code": "220102",
                                     "child_months": -12}, "child_months", "negative"),
])
def test_calculator_api_refuses_impossible_facts_by_field(api_for, caseworker, calculator, facts, field, code):
    response = api_for(caseworker).post(f"/api/v1/eligibility/{calculator}/", facts, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert [e["code"] for e in body["fields"][field]] == [code]
    assert body["fields"][field][0]["message"]


# ---------------------------------------------------------------- imports (with the line number)


@pytest.mark.django_db
def test_import_refuses_bad_phone_and_future_id_birth_date_by_line():
    rows = [
        f"{person_id(41)},李一,13812345678,,,220102,,",  # line 2: fine
        f"{person_id(42)},李二,0431-12,,,220102,,",  # line 3: malformed phone
        f"{future_id_number()},李三,,,,220102,,",  # line 4: born after today
    ]
    batch = import_file(kind="applicants", handle=csv_file(APPLICANT_HEADER, *rows), file_name="people.csv",
                        user=None)
    assert batch.status != ImportBatch.Status.SUCCEEDED
    found = list(ImportIssue.objects.filter(batch=batch).order_by("line").values_list("line", "column", "message"))
    assert [(line, column) for line, column, _ in found] == [(3, "phone"), (4, "id_number")]
    assert "联系电话格式错误" in found[0][2] and "出生日期晚于今天" in found[1][2]
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_training_import_uses_the_same_phone_check():
    from apps.training.imports import phone

    with pytest.raises(Exception) as error:
        phone("0431-12", None)
    assert "联系电话格式错误" in str(error.value)
