"""The facts statement and the per-employer explanation, against the hand-checked data set."""

from decimal import Decimal

import pytest

from apps.employers.refund_facts import refund_facts, streak_from_mask
from apps.refunds.explain import employer_explain
from tests.refunds.conftest import CASES, YEAR

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("mask", "streak"), [(0, 0), (0b1, 1), (0b10, 0), (0b0111, 3), (0b1011, 2),
                                              ((1 << 60) - 1, 60)])
def test_streak_counts_trailing_months_paid_in_full(mask, streak):
    assert streak_from_mask(mask) == streak


def test_facts_of_every_case_match_the_hand_checked_values(dataset):
    ids = {employer.pk: key for key, employer in dataset.items()}
    facts = {ids[employer_id]: (f, size) for employer_id, f, size in
             refund_facts(employer_ids=list(ids), year=YEAR, region_prefix="2201")}
    assert "other_city" not in facts  # region prefix applies to an id list too
    for case in CASES:
        f, size = facts[case.key]
        assert f.months_paid_in_full == case.months, case.key
        assert f.contributions_paid == Decimal(case.contributions_paid), case.key
        assert size.data["size_class"] == case.size_class, case.key


def test_january_and_december_headcounts_and_missing_january(dataset):
    (_, facts, _), = refund_facts(employer_ids=[dataset["small_layoff_exactly_20"].pk], year=YEAR)
    assert (facts.headcount_start, facts.headcount_end) == (30, 24)
    (_, facts, _), = refund_facts(employer_ids=[dataset["eleven_months"].pk], year=YEAR)
    assert (facts.headcount_start, facts.headcount_end) == (0, 50)  # no January row: nobody insured on 1 Jan


def test_late_fees_and_earlier_years_back_payments_are_not_contributions_of_the_year(dataset):
    (_, facts, _), = refund_facts(employer_ids=[dataset["back_payment_and_late_fee"].pk], year=YEAR)
    assert facts.contributions_paid == Decimal("12000.00")
    assert not facts.has_arrears


def test_arrears_of_an_earlier_year_count(dataset):
    (_, facts, _), = refund_facts(employer_ids=[dataset["arrears_last_year"].pk], year=YEAR)
    assert facts.has_arrears and facts.months_paid_in_full == 18


def test_an_employer_without_contributions_still_has_facts(dataset):
    (_, facts, size), = refund_facts(employer_ids=[dataset["no_contributions"].pk], year=YEAR)
    assert (facts.months_paid_in_full, facts.contributions_paid, facts.headcount_end) == (0, 0, 0)


def test_id_range_and_id_list_give_the_same_facts(dataset):
    ids = sorted(e.pk for e in dataset.values())
    by_range = list(refund_facts(id_range=(ids[0], ids[-1] + 1), year=YEAR, region_prefix=""))
    by_ids = list(refund_facts(employer_ids=ids, year=YEAR, region_prefix=""))
    assert [(i, f) for i, f, _ in by_range] == [(i, f) for i, f, _ in by_ids]


def test_live_explanation_uses_the_same_facts_as_a_run(dataset):
    explanation = employer_explain(employer_id=dataset["rounding_half_up"].pk, year=YEAR)
    assert explanation.refund.amount == Decimal("3600.23")
    assert any("划型结果" == step.label for step in explanation.steps)
