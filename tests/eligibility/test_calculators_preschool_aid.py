from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators.preschool_aid import PreschoolAidFacts, calculate


def aid(urban=True, inclusive=True, approved=True, categories=("minimum_living_allowance",), year=2025):
    return PreschoolAidFacts(
        year=year,
        kindergarten_inclusive=inclusive,
        kindergarten_approved=approved,
        urban=urban,
        child_categories=frozenset(categories),
    )


@pytest.mark.parametrize(
    ("facts", "amount", "codes"),
    [
        (aid(urban=True), "2000.00", []),
        (aid(urban=False), "1500.00", []),  # rural, county towns included
        (aid(categories=("orphan", "disabled")), "2000.00", []),  # one aid, not one per category
        (aid(categories=("former_registered_poor",)), "2000.00", []),
        (aid(categories=("extreme_poverty_support",)), "2000.00", []),
        (aid(categories=("de_facto_unsupported",)), "2000.00", []),
        (aid(inclusive=False), "0.00", ["kindergarten_not_inclusive"]),
        (aid(approved=False), "0.00", ["kindergarten_not_approved"]),
        (aid(categories=()), "0.00", ["no_eligible_category"]),
        (
            aid(inclusive=False, approved=False, categories=()),
            "0.00",
            ["kindergarten_not_inclusive", "kindergarten_not_approved", "no_eligible_category"],
        ),
    ],
)
def test_preschool_aid(snapshot, facts, amount, codes):
    result = calculate(facts, snapshot(date(facts.year, 12, 31)))
    assert str(result.amount) == amount
    assert [r.code for r in result.reasons] == codes
    assert result.eligible is (not codes)


@pytest.mark.parametrize(("as_of", "in_force"), [(date(2024, 1, 3), False), (date(2024, 1, 4), True)])
def test_preschool_aid_from_the_publication_date(snapshot, as_of, in_force):
    if in_force:
        assert calculate(aid(year=2024), snapshot(as_of)).amount == Decimal("2000.00")
    else:
        # Issue 12 fault 6: before the first version is "no scheme in force", not a missing parameter.
        result = calculate(aid(year=2024), snapshot(as_of))
        assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]


def test_unknown_category_is_an_error(snapshot):
    with pytest.raises(ValueError):
        calculate(aid(categories=("rich",)), snapshot(date(2025, 12, 31)))


def test_kindergarten_per_pupil_funding_is_shipped(snapshot):
    params = snapshot(date(2025, 12, 31))
    assert params.get("kindergarten.per_pupil_funding_public").value == Decimal("650.00")
    assert params.get("kindergarten.per_pupil_funding_inclusive_private").value == Decimal("240.00")
