"""Issue 12 fault 2: a parameter version a stored decision used is frozen (value, dates, region); a new
dated version is the way to change a number. Closing an open-ended frozen version after its last use is
allowed (that is how a new version is added)."""

from datetime import date

import pytest
from django.urls import reverse

from apps.core.exceptions import ApplicationError
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save
from apps.eligibility.services import determination_create

pytestmark = pytest.mark.django_db

KEY = "childcare_subsidy.annual_amount"
FACTS = {"year": 2025, "child_birth_date": "2024-03-10"}


@pytest.fixture
def parameter_admin(province_admin):
    from django.contrib.auth.models import Permission

    province_admin.user_permissions.set(Permission.objects.filter(content_type__app_label="eligibility"))
    return province_admin


def _used_version(caseworker) -> PolicyParameter:
    determination_create(user=caseworker, calculator="childcare-subsidy", facts=FACTS)
    return PolicyParameter.objects.get(key=KEY, region_id="220000", valid_from=date(2025, 1, 1))


def test_a_version_is_not_frozen_until_a_decision_uses_it():
    version = PolicyParameter.objects.get(key=KEY, region_id="220000", valid_from=date(2025, 1, 1))
    assert version.frozen_at is None
    version.value = "3700.00"
    parameter_save(parameter=version)  # nobody relied on it yet: a correction is still possible


def test_storing_a_determination_freezes_the_versions_it_used(caseworker):
    version = _used_version(caseworker)
    assert version.frozen_at is not None and version.used_until == date(2025, 12, 31)


@pytest.mark.parametrize(("field", "value"), [
    ("value", "4000.00"), ("valid_from", date(2024, 7, 1)), ("region_id", "220100"),
    ("valid_to", date(2025, 6, 30)),  # would end it before a date a decision applied it on
])
def test_a_used_version_cannot_be_changed_by_the_service(caseworker, field, value):
    version = _used_version(caseworker)
    setattr(version, field, value)
    with pytest.raises(ApplicationError) as error:
        parameter_save(parameter=version)
    assert error.value.code == "parameter_version_frozen"
    assert "新增" in error.value.message and "版本" in error.value.message
    stored = PolicyParameter.objects.get(pk=version.pk)
    assert (stored.value, stored.valid_from, stored.region_id, stored.valid_to) == (
        "3600.00", date(2025, 1, 1), "220000", None)


def test_a_used_version_may_be_closed_after_its_last_use_and_a_new_version_added(caseworker):
    version = _used_version(caseworker)
    version.valid_to = date(2026, 12, 31)
    parameter_save(parameter=version)
    parameter_save(parameter=PolicyParameter(
        key=KEY, name="育儿补贴标准", value_type="decimal", value="4000.00", valid_from=date(2027, 1, 1),
        region_id="220000", source_title="测试：新文件"))
    assert PolicyParameter.objects.filter(key=KEY).count() == 2


def test_the_admin_refuses_to_edit_a_used_version_with_a_chinese_message(caseworker, client_for, parameter_admin):
    version = _used_version(caseworker)
    client = client_for(parameter_admin)
    url = reverse("admin:eligibility_policyparameter_change", args=[version.pk])
    data = {"key": version.key, "name": version.name, "value_type": version.value_type, "value": '"4000.00"',
            "unit": version.unit, "valid_from": "2025-01-01", "valid_to": "", "region": "220000",
            "source_title": version.source_title, "source_number": version.source_number}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    text = response.content.decode()
    assert "已被" in text and "新增" in text
    assert PolicyParameter.objects.get(pk=version.pk).value == "3600.00"


def test_the_admin_cannot_delete_a_used_version(caseworker, client_for, parameter_admin):
    version = _used_version(caseworker)
    response = client_for(parameter_admin).post(
        reverse("admin:eligibility_policyparameter_delete", args=[version.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert PolicyParameter.objects.filter(pk=version.pk).exists()


def test_the_database_refuses_a_direct_update_of_a_frozen_version(caseworker):
    """The backstop under the service: SQL typed by hand (here a queryset.update) is refused too."""
    from django.db import DatabaseError, transaction

    version = _used_version(caseworker)
    with pytest.raises(DatabaseError, match="parameter_version_frozen"):
        with transaction.atomic():
            PolicyParameter.objects.filter(pk=version.pk).update(value="1.00")
    PolicyParameter.objects.filter(pk=version.pk).update(name="育儿补贴标准（更正名称）")  # citation fields stay editable
    assert PolicyParameter.objects.get(pk=version.pk).value == "3600.00"
