"""Issue 12 fault 7: an annual amount whose version changes during the year is paid by the months each
version was in force, and the explanation lists both versions.

The rule (apps.eligibility.calculators.base.monthly_versions): a month counts at the version in force on its
first day; a month in which the scheme only begins (no version on the 1st, one from a later day of that
month) counts at that first version — as a child or an enrollment present on any day of a month counts for
that month. So a new rate from 1 July pays July at the new rate; one from 15 July pays July at the old rate.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save

pytestmark = pytest.mark.django_db


def _new_version(key: str, value: str, starts: date) -> PolicyParameter:
    old = PolicyParameter.objects.get(key=key, region_id="220000", valid_to__isnull=True)
    old.valid_to = starts - timedelta(days=1)
    parameter_save(parameter=old)
    return parameter_save(parameter=PolicyParameter(
        key=key, name=old.name, value_type=old.value_type, value=value, unit=old.unit, valid_from=starts,
        region_id="220000", source_title="测试：调整标准的文件", source_issuer="测试机关"))


def _post(api, calculator, facts):
    response = api.post(f"/api/v1/eligibility/{calculator}/", facts, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.mark.parametrize(("starts", "year", "amount", "versions"), [
    (date(2026, 1, 1), 2025, "3600.00", 1),  # change on 1 January: the year before is all old
    (date(2026, 1, 1), 2026, "4200.00", 1),  # … and the year of the change all new
    (date(2026, 7, 1), 2026, "3900.00", 2),  # 6 × 3600 / 12 + 6 × 4200 / 12
    (date(2026, 7, 15), 2026, "3850.00", 2),  # mid-month: July at the rate of 1 July (old): 7 + 5 months
    (date(2026, 12, 1), 2026, "3650.00", 2),  # 11 + 1
])
def test_childcare_subsidy_is_paid_by_the_months_of_each_version(api_for, caseworker, starts, year, amount,
                                                                 versions):
    new = _new_version("childcare_subsidy.annual_amount", "4200.00", starts)
    body = _post(api_for(caseworker), "childcare-subsidy", {"year": year, "child_birth_date": "2025-01-15"})
    assert body["amount"] == amount
    used = [p for p in body["parameters"] if p["key"] == "childcare_subsidy.annual_amount"]
    assert len(used) == versions
    if versions == 2:
        assert {p["value"] for p in used} == {"3600.00", "4200.00"} and new.pk in {p["version"] for p in used}
        text = " ".join(s["formula"] for s in body["steps"])
        assert "3,600.00 ×" in text and "4,200.00 ×" in text


def test_child_under_three_for_part_of_the_year_is_prorated_by_version_too(api_for, caseworker):
    _new_version("childcare_subsidy.annual_amount", "4200.00", date(2026, 7, 1))
    # born 2023-09-10: under 3 until August 2026 → Jan–Jun at 3600, Jul–Aug at 4200
    body = _post(api_for(caseworker), "childcare-subsidy", {"year": 2026, "child_birth_date": "2023-09-10"})
    assert body["amount"] == str(Decimal("3600") * 6 / 12 + Decimal("4200") * 2 / 12 + Decimal("0.00"))


@pytest.mark.parametrize(("starts", "amount"), [
    (date(2025, 1, 1), "2400.00"), (date(2025, 9, 1), "2133.33"), (date(2025, 9, 20), "2100.00"),
])
def test_preschool_aid_is_paid_by_the_months_of_each_version(api_for, caseworker, starts, amount):
    if starts == date(2025, 1, 1):
        old = PolicyParameter.objects.get(key="preschool_aid.annual_amount_urban")
        old.valid_to = date(2024, 12, 31)
        parameter_save(parameter=old)
        parameter_save(parameter=PolicyParameter(
            key=old.key, name=old.name, value_type=old.value_type, value="2400.00", valid_from=starts,
            region_id="220000", source_title="测试", source_issuer="测试机关"))
    else:
        _new_version("preschool_aid.annual_amount_urban", "2400.00", starts)
    body = _post(api_for(caseworker), "preschool-aid", {
        "year": 2025, "kindergarten_inclusive": True, "kindergarten_approved": True, "urban": True,
        "child_categories": ["orphan"]})
    assert body["amount"] == amount
    assert len([p for p in body["parameters"] if p["key"] == "preschool_aid.annual_amount_urban"]) == (
        1 if starts.month == 1 else 2)
