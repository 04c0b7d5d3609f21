"""R9 创业担保贷款: target group from the status tags, the guaranteed amount capped per person, the term limit, the
interest-subsidy share — table-driven with the boundaries (amount at the cap, cap + 0.01, term at the limit and one
month over, no target group, the day before the scheme) — and the claim's arithmetic (half-up once at the end)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators import startup_loan as calc
from apps.eligibility.calculators.base import FactRefused
from apps.eligibility.parameter_fixtures import fixture_rows
from tests.eligibility.conftest import snapshot_from_rows

ROWS = fixture_rows()
CAP = Decimal("300000.00")  # the shipped 示例值
DAY = date(2026, 3, 1)


def run(amount, term=24, tags=("migrant_worker",), day=DAY, **overrides):
    facts = calc.StartupLoanFacts(application_date=day, amount_requested=Decimal(amount), term_months=term,
                                  status_tags=frozenset(tags))
    return calc.calculate(facts, snapshot_from_rows(ROWS, day, **overrides))


@pytest.mark.parametrize(
    ("amount", "term", "tags", "eligible", "guaranteed", "reasons", "capped"),
    [
        ("200000.00", 24, ("migrant_worker",), True, "200000.00", [], False),
        # at the cap: the whole amount; one fen over: the cap, still eligible
        ("300000.00", 24, ("unemployed_graduate",), True, "300000.00", [], False),
        ("300000.01", 24, ("unemployed",), True, "300000.00", [], True),
        ("299999.99", 24, ("employment_difficulty",), True, "299999.99", [], False),
        ("0.01", 1, ("postnatal_woman",), True, "0.01", [], False),
        # term at the limit, and one month over
        ("100000.00", 36, ("migrant_worker",), True, "100000.00", [], False),
        ("100000.00", 37, ("migrant_worker",), False, "0.00", ["term_exceeds_limit"], False),
        # no target group: a tag that is not one (灵活就业, 残疾) or none at all
        ("100000.00", 12, ("flexible_employment",), False, "0.00", ["not_target_group"], False),
        ("100000.00", 12, (), False, "0.00", ["not_target_group"], False),
        # both refusals are given
        ("100000.00", 48, ("disabled",), False, "0.00", ["not_target_group", "term_exceeds_limit"], False),
        # two groups: one is enough
        ("50000.00", 24, ("unemployed", "postnatal_woman"), True, "50000.00", [], False),
    ],
)
def test_startup_loan_table(amount, term, tags, eligible, guaranteed, reasons, capped):
    result = run(amount, term, tags)
    assert result.eligible is eligible
    assert result.amount == Decimal(guaranteed)
    assert [r.code for r in result.reasons] == reasons
    assert result.data["capped"] is capped
    assert result.data["interest_subsidy_share"] == Decimal("50")
    assert [p.key for p in result.parameters] == [calc.MAX_AMOUNT, calc.SUBSIDY_SHARE, calc.MAX_TERM]
    assert [s.label for s in result.steps] == ["扶持对象身份", "贷款期限", "担保贷款额度", "财政贴息比例"]


def test_the_cap_and_the_term_are_parameters():
    result = run("150000.00", 40, startup_loans__max_amount_per_person=Decimal("100000.00"),
                 startup_loans__max_term_months=60)
    assert result.eligible and result.amount == Decimal("100000.00") and result.data["capped"]


def test_capped_explanation_names_the_cap():
    step = run("300000.01").steps[2]
    assert "300,000.00" in step.formula and "按上限核定" in step.formula and step.value == "300,000.00"


def test_target_groups_are_named_in_the_steps():
    assert run("1000.00", tags=("unemployed_graduate",)).steps[0].formula == "申请日有效的身份标签：离校未就业高校毕业生"


def test_before_the_first_version_no_scheme():
    result = run("1000.00", day=date(2024, 12, 31))
    assert not result.eligible and [r.code for r in result.reasons] == ["no_scheme_in_force"]


@pytest.mark.parametrize(("amount", "term", "field"), [("0", 12, "amount_requested"), ("-1", 12, "amount_requested"),
                                                       ("1000", 0, "term_months")])
def test_refused_facts(amount, term, field):
    with pytest.raises(FactRefused) as error:
        run(amount, term)
    assert error.value.field == field


def _share(value="50"):
    return snapshot_from_rows(ROWS, DAY).get(calc.SUBSIDY_SHARE) if value == "50" else \
        snapshot_from_rows(ROWS, DAY, startup_loans__interest_subsidy_share=Decimal(value)).get(calc.SUBSIDY_SHARE)


@pytest.mark.parametrize(
    ("interests", "share", "amount"),
    [
        (["1000.00"], "50", "500.00"),
        (["0.01"], "50", "0.01"),  # 0.005 → half up
        # three periods of 0.01 at 50%: 0.005 × 3 = 0.015 → 0.02 once at the end (per-period rounding would give 0.03)
        (["0.01", "0.01", "0.01"], "50", "0.02"),
        (["333.33", "333.33"], "33.3", "222.00"),  # 666.66 × 0.333 = 221.99778 → 222.00
        ([], "50", "0.00"),
    ],
)
def test_interest_subsidy_rounds_once(interests, share, amount):
    periods = [calc.PaidPeriod(period=i + 1, interest=Decimal(v)) for i, v in enumerate(interests)]
    computed = calc.interest_subsidy(periods, _share(share))
    assert computed.amount == Decimal(amount)
    assert computed.steps[-1].label == "贴息合计（四舍五入到分）"
    assert len(computed.steps) == len(interests) + 1
