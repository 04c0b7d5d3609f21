"""Issue 12 fault 7 at claim level: the claim gives the calculator the child-months of each month (from the
enrolment counting rule), so a rate table that changes during the year pays each month at its own rate;
the claim names and freezes every version it used and decisions_verify recomputes it. Claims stored by
calculator VERSION 2 (a total only) still verify. The second version is a test-local value, not policy."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.childcare.models import Institution, OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.childcare.services.verification import claim_fingerprint_store
from apps.eligibility.calculators import childcare_operating
from apps.eligibility.fingerprints import fingerprint, parameters_part_for_versions
from apps.eligibility.models import PolicyParameter
from apps.eligibility.parameters import parameter_save
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory

pytestmark = pytest.mark.django_db
C = Institution.Category
TABLE = "childcare_operating.annual_rate_table"


def _new_rate_table(starts: date, rate: str = "4800") -> PolicyParameter:
    old = PolicyParameter.objects.get(key=TABLE, region_id="220000", valid_to__isnull=True)
    old.valid_to = starts - timedelta(days=1)
    parameter_save(parameter=old)
    value = {name: {**row, "changchun_urban": rate} if row["changchun_urban"] != "0" else row
             for name, row in old.value.items()}
    return parameter_save(parameter=PolicyParameter(
        key=TABLE, name=old.name, value_type=old.value_type, value=value, unit=old.unit, valid_from=starts,
        region_id="220000", source_title="测试：调整标准的文件", source_issuer="测试机关"))


def _verify(capsys):
    code = 0
    try:
        call_command("decisions_verify", "--kind", "childcare_claim")
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("category", "starts", "enrolled", "amount", "versions"), [
    # 普惠民办 in 南关区 (3600 → 4800 from 1 July), one child all year: 6 × 300 + 6 × 400
    (C.PRIVATE_INCLUSIVE, date(2025, 7, 1), (date(2025, 1, 1), None), "4200.00", 2),
    # 差额补助公办 (2400 → 4800): 11 × 200 + 1 × 400
    (C.PUBLIC_PARTIAL_FUNDED, date(2025, 12, 1), (date(2025, 1, 1), None), "2600.00", 2),
    # from 15 July: July at the old rate, the new one from August: 7 × 300 + 5 × 400
    (C.PRIVATE_INCLUSIVE, date(2025, 7, 15), (date(2025, 1, 1), None), "4100.00", 2),
    # enrolled only January–March: the new rate from July was never applied
    (C.PRIVATE_INCLUSIVE, date(2025, 7, 1), (date(2025, 1, 1), date(2025, 3, 20)), "900.00", 1),
    # change on 1 January 2026: 2025 all at the old rate
    (C.PRIVATE_INCLUSIVE, date(2026, 1, 1), (date(2025, 1, 1), None), "3600.00", 1),
])
def test_claim_pays_each_month_at_its_rate(caseworker, capsys, category, starts, enrolled, amount, versions):
    new = _new_rate_table(starts)
    institution = InstitutionFactory(category=category, region_id="220102")
    EnrollmentFactory(institution=institution, start_date=enrolled[0], end_date=enrolled[1])
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.amount == Decimal(amount)
    [part] = claim.explanation
    assert sum(part["data"]["monthly_child_months"]) == claim.child_months
    used = [p["version"] for p in part["parameters"] if p["key"] == TABLE]
    assert len(used) == versions
    stored = claim.parameter_versions[TABLE]
    assert (sorted(stored) if versions == 2 else [stored]) == sorted(used)
    assert all(PolicyParameter.objects.get(pk=pk).frozen_at for pk in used)
    if versions == 2:
        assert new.pk in used
        text = " ".join(s["formula"] for s in part["steps"])
        assert "4,800.00 元/人·年" in text and "2025年" in " ".join(s["label"] for s in part["steps"])
    code, out = _verify(capsys)
    assert code == 0, out


def test_uncertified_months_are_split_and_each_priced_at_its_rate(caseworker, capsys):
    """普惠民办 certified from 1 May; rate 3600 → 4800 from 1 July: Jan–Apr refused, May–Jun at 3600,
    Jul–Dec at 4800 → 2 × 300 + 6 × 400 = 3000."""
    _new_rate_table(date(2025, 7, 1))
    institution = InstitutionFactory(region_id="220102", inclusive_certified_from=date(2025, 5, 1))
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    assert claim.amount == Decimal("3000.00") and claim.certified_child_months == 8
    certified, uncertified = claim.explanation
    assert certified["data"]["monthly_child_months"] == [0] * 4 + [1] * 8
    assert uncertified["data"]["monthly_child_months"] == [1] * 4 + [0] * 8
    assert _verify(capsys)[0] == 0


def test_a_claim_stored_by_version_2_still_verifies(caseworker, capsys):
    """VERSION 2 stored a total per part and no months; VERSION 3 prices such facts as 2 did."""
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    for part in claim.explanation:  # as VERSION 2 wrote them
        part["data"].pop("monthly_child_months")
    claim_fingerprint_store_as(claim, "2")
    claim.save()
    assert "monthly_child_months" not in claim.inputs[0]["facts"]
    code, out = _verify(capsys)
    assert code == 0, out
    # A version the calculator does not reproduce is still named.
    OperatingSubsidyClaim.objects.filter(pk=claim.pk).update(calculator_version="1")
    claim.refresh_from_db()
    claim_fingerprint_store_as(claim, "1")
    claim.save()
    code, out = _verify(capsys)
    assert code == 1 and f"计算规则版本：存储 1，现为 {childcare_operating.VERSION}" in out


def claim_fingerprint_store_as(claim, version: str) -> None:
    """The fingerprint a claim computed by calculator `version` was stored with."""
    claim_fingerprint_store(claim)
    claim.calculator_version = version
    claim.fingerprint = fingerprint(calculator_version=version, facts={"parts": claim.inputs},
                                    parameters=parameters_part_for_versions(claim.parameter_versions.values()))


def test_claim_page_lists_both_rates_and_versions(client, caseworker):
    new = _new_rate_table(date(2025, 7, 1))
    institution = InstitutionFactory(region_id="220102")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    old = PolicyParameter.objects.get(key=TABLE, valid_to=date(2025, 6, 30))
    client.force_login(caseworker)
    body = client.get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert f"#{old.pk}、#{new.pk}" in body and TABLE not in body  # the versions, never the parameter key
    assert "3,600.00 元/人·年 × 6 人·月" in body and "4,800.00 元/人·年 × 6 人·月" in body
    assert "2025年1月至6月" in body and "2025年7月至12月" in body
