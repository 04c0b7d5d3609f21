"""Parameters in the database: as-of lookup, region override, overlap refused, admin edits audited."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.exceptions import ApplicationError
from apps.eligibility.calculators import stable_job_refund
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save, parameter_snapshot

pytestmark = pytest.mark.django_db

KEY = "childcare_subsidy.annual_amount"


def _row(**fields):
    base = {"key": KEY, "name": "育儿补贴标准", "value_type": "decimal", "value": "4000.00",
            "valid_from": date(2027, 1, 1), "region_id": "220000", "source_title": "测试文件"}
    return PolicyParameter(**{**base, **fields})


def test_shipped_parameters_are_loaded_by_migration():
    assert PolicyParameter.objects.filter(key="stable_job_refund.sme_rate").exists()
    snapshot = parameter_snapshot(as_of=date(2025, 12, 31), region_code="220102")
    assert snapshot.get("stable_job_refund.sme_rate").value == Decimal("60")
    assert isinstance(snapshot.get("stable_job_refund.sme_rate").version, int)


def test_as_of_reads_the_version_in_force_on_that_day():
    old = PolicyParameter.objects.get(key=KEY)
    old.valid_to = date(2026, 12, 31)
    parameter_save(parameter=old)
    parameter_save(parameter=_row())
    assert parameter_snapshot(as_of=date(2026, 12, 31)).get(KEY).value == Decimal("3600.00")
    assert parameter_snapshot(as_of=date(2027, 1, 1)).get(KEY).value == Decimal("4000.00")


def test_overlapping_validity_for_same_key_and_region_is_refused():
    with pytest.raises(ApplicationError) as error:
        parameter_save(parameter=_row(valid_from=date(2026, 6, 1)))
    assert error.value.code == "parameter_invalid"
    assert "重叠" in error.value.fields["valid_from"][0]


def test_city_row_overrides_the_province_for_that_city_only():
    parameter_save(parameter=_row(region_id="220100", valid_from=date(2025, 1, 1), value="3800.00"))
    assert parameter_snapshot(as_of=date(2025, 6, 1), region_code="220102").get(KEY).value == Decimal("3800.00")
    assert parameter_snapshot(as_of=date(2025, 6, 1), region_code="220204").get(KEY).value == Decimal("3600.00")


def test_value_must_parse_for_its_type():
    with pytest.raises(ApplicationError) as error:
        parameter_save(parameter=_row(value="not a number", valid_from=date(2030, 1, 1)))
    assert "value" in error.value.fields


def test_what_if_override_is_marked_and_does_not_touch_the_database():
    snapshot = parameter_snapshot(as_of=date(2025, 12, 31), overrides={"stable_job_refund.sme_rate": Decimal("50")})
    value = snapshot.get("stable_job_refund.sme_rate")
    assert value.value == Decimal("50") and str(value.version).startswith("override:")
    assert PolicyParameter.objects.get(key="stable_job_refund.sme_rate").value == "60"


def test_admin_change_is_used_by_the_next_calculation_and_audited(client_for, province_admin):
    province_admin.is_superuser = True
    province_admin.save()
    row = PolicyParameter.objects.get(key="stable_job_refund.sme_rate")
    facts = CALCULATORS["stable-job-refund"].facts_type(
        facts_year=2025, months_paid_in_full=12, has_arrears=False, headcount_start=10, headcount_end=10,
        contributions_paid=Decimal("1000.00"), size_class="small", entity_type="enterprise", serious_dishonesty=False)
    versions_before = row.history.count()  # rows loaded by the data migration have no history entry yet
    before = stable_job_refund.calculate(facts, parameter_snapshot(as_of=date(2025, 12, 31)))

    response = client_for(province_admin).post(f"/admin/eligibility/policyparameter/{row.pk}/change/", {
        "key": row.key, "name": row.name, "value_type": row.value_type, "value": '"65"', "unit": row.unit,
        "valid_from": row.valid_from.isoformat(), "valid_to": "", "region": row.region_id,
        "source_title": row.source_title, "source_number": row.source_number, "source_file": row.source_file,
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    after = stable_job_refund.calculate(facts, parameter_snapshot(as_of=date(2025, 12, 31)))
    assert (before.amount, after.amount) == (Decimal("600.00"), Decimal("650.00"))
    assert row.history.count() == versions_before + 1
    latest = row.history.first()
    assert latest.history_user == province_admin and latest.value == "65"
