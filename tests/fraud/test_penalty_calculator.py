"""R9 fraud penalty: repay, fine = repay × fraud.fine_multiple, suspension end date — table-driven, boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators import fraud_penalty
from apps.eligibility.calculators.base import FactRefused
from apps.eligibility.parameter_fixtures import fixture_rows
from tests.eligibility.conftest import snapshot_from_rows

ROWS = fixture_rows()


def run(amount: str, on: date = date(2025, 6, 5), **overrides):
    facts = fraud_penalty.FraudPenaltyFacts(misused_amount=Decimal(amount), effective_date=on)
    return fraud_penalty.calculate(facts, snapshot_from_rows(ROWS, on, **overrides))


@pytest.mark.parametrize(
    ("amount", "repay", "fine", "total", "eligible"),
    [
        ("0", "0.00", "0.00", "0.00", False),
        ("0.01", "0.01", "0.03", "0.04", True),  # 0.025 half-up → 0.03 (half-even would give 0.02)
        ("0.02", "0.02", "0.05", "0.07", True),
        ("1.00", "1.00", "2.50", "3.50", True),
        ("1234.57", "1234.57", "3086.43", "4321.00", True),  # 3086.425 → 3086.43
        ("8600.00", "8600.00", "21500.00", "30100.00", True),
        ("0.005", "0.01", "0.03", "0.04", True),  # the repay is rounded half-up first, the fine is on it
    ],
)
def test_repay_and_fine(amount, repay, fine, total, eligible):
    result = run(amount)
    assert str(result.data["repay"]) == repay
    assert str(result.data["fine"]) == fine
    assert str(result.amount) == total
    assert result.eligible is eligible
    assert [p.key for p in result.parameters] == [
        "fraud.fine_multiple",
        "fraud.direct_settlement_suspension_months",
    ]


@pytest.mark.parametrize(
    ("effective", "until"),
    [
        (date(2025, 6, 5), date(2025, 12, 5)),
        (date(2025, 8, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2027, 8, 29), date(2028, 2, 29)),
        (date(2025, 8, 29), date(2026, 2, 28)),
        (date(2025, 7, 31), date(2026, 1, 31)),  # across the year end
        (date(2025, 12, 31), date(2026, 6, 30)),
        (date(2028, 2, 29), date(2028, 8, 29)),
    ],
)
def test_suspension_end_date(effective, until):
    result = run("100.00", effective)
    assert result.data["suspended_from"] == effective
    assert result.data["suspended_until"] == until
    assert result.data["suspension_months"] == 6


def test_reads_the_parameters_not_constants():
    result = run("100.00", fraud__fine_multiple=Decimal("3"), fraud__direct_settlement_suspension_months=12)
    assert result.data["fine"] == Decimal("300.00")
    assert result.data["suspended_until"] == date(2026, 6, 5)


def test_steps_explain_with_numbers():
    steps = run("1000.00").steps
    assert [s.label for s in steps] == ["责令退回医保基金", "罚款", "暂停医疗费用联网直接结算", "合计应缴"]
    assert steps[1].formula == "1,000.00 × 2.5 倍" and steps[1].value == "2,500.00"
    assert "2025-12-05" in steps[2].formula


def test_before_the_first_version_is_no_scheme():
    facts = fraud_penalty.FraudPenaltyFacts(misused_amount=Decimal("10"), effective_date=date(2025, 6, 4))
    result = fraud_penalty.calculate(facts, snapshot_from_rows(ROWS, date(2025, 6, 4)))
    assert not result.eligible and result.reasons[0].code == "no_scheme_in_force"


def test_negative_amount_refused():
    with pytest.raises(FactRefused) as error:
        run("-0.01")
    assert error.value.field == "misused_amount"
