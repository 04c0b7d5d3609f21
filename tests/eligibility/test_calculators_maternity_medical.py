"""R2 maternity medical costs (issue 16): in-hospital delivery with no deductible at 100%, prenatal check-ups
and family planning at their own (admin-entered) rates, in force from the month after the previous year's
average wage is published; one rounding, at the end."""

from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.maternity_medical import MaternityMedicalFacts, calculate

IN_FORCE = date(2025, 7, 1)  # the shipped (example) 2024 wage was published on 2025-06-30


def facts(day=IN_FORCE, flexible=True, delivery="0", prenatal="0", planning="0"):
    return MaternityMedicalFacts(service_date=day, flexible_worker=flexible, delivery_cost=Decimal(delivery),
                                 prenatal_checkup_cost=Decimal(prenatal), family_planning_cost=Decimal(planning))


@pytest.mark.parametrize(("case", "eligible", "amount", "codes"), [
    (facts(delivery="6800.00"), True, "6800.00", ()),
    (facts(delivery="6800.00", prenatal="1200.50", planning="300.25"), True, "8300.75", ()),
    (facts(delivery="1234.565"), True, "1234.57", ()),  # half-up to the fen
    (facts(delivery="0.004", prenatal="0.004"), True, "0.01", ()),  # summed first, rounded once: 0.008 → 0.01
    (facts(), True, "0.00", ()),
    (facts(flexible=False, delivery="6800.00"), False, "0.00", ("not_flexible_worker",)),
    (facts(day=date(2025, 6, 30), delivery="6800.00"), False, "0.00", ("benefit_not_in_force",)),
    (facts(day=date(2025, 5, 1), delivery="6800.00"), False, "0.00", ("benefit_not_in_force",)),
    (facts(day=date(2025, 4, 30), delivery="6800.00"), False, "0.00", ("no_scheme_in_force",)),
])
def test_shipped_rules(case, eligible, amount, codes, snapshot):
    result = calculate(case, snapshot(case.service_date))
    assert (result.eligible, str(result.amount), tuple(r.code for r in result.reasons)) == \
        (eligible, amount, codes)


@pytest.mark.parametrize(("deductible", "cost", "amount"), [
    ("500.00", "400.00", "0.00"), ("500.00", "500.00", "0.00"), ("500.00", "500.01", "0.01"),
    ("500.00", "6800.00", "6300.00"), ("0.00", "0.01", "0.01"),
])
def test_a_deductible_an_administrator_enters_is_taken_off_the_delivery_only(deductible, cost, amount, snapshot):
    """The shipped deductible is 0 (不设起付标准); the calculator reads the parameter, not a constant."""
    params = snapshot(IN_FORCE, maternity__delivery_deductible=Decimal(deductible))
    result = calculate(facts(delivery=cost, prenatal="100.00"), params)
    assert result.amount == Decimal(amount) + Decimal("100.00")


@pytest.mark.parametrize(("rates", "amount"), [
    ({"maternity__delivery_reimbursement_rate": Decimal("90")}, "7620.00"),
    ({"maternity__prenatal_checkup_reimbursement_rate": Decimal("50")}, "7700.00"),
    ({"maternity__family_planning_reimbursement_rate": Decimal("0")}, "8000.00"),
])
def test_each_part_is_priced_at_its_own_rate(rates, amount, snapshot):
    result = calculate(facts(delivery="6800.00", prenatal="1200.00", planning="300.00"),
                       snapshot(IN_FORCE, **rates))
    assert str(result.amount) == amount


def test_the_steps_show_the_numbers_used_and_the_versions_are_recorded(snapshot):
    result = calculate(facts(delivery="6800.00", prenatal="1200.00"), snapshot(IN_FORCE))
    text = " ".join(f"{s.label} {s.formula} {s.value}" for s in result.steps)
    assert "6,800.00" in text and "1,200.00" in text and "100%" in text and "8,000.00" in text
    assert {p.key for p in result.parameters} >= {
        "maternity.delivery_deductible", "maternity.delivery_reimbursement_rate",
        "maternity.prenatal_checkup_reimbursement_rate", "maternity.family_planning_reimbursement_rate"}


def test_negative_costs_are_refused(snapshot):
    with pytest.raises(ValueError, match="不能为负数"):
        calculate(facts(prenatal="-0.01"), snapshot(IN_FORCE))
