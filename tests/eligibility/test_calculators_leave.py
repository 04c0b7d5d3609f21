from datetime import date

import pytest

from apps.eligibility.calculators.leave import LeaveFacts, calculate


def leave(sex="female", born=None, year=2025, employed=True, lawful=True, only_child=False, parent_age=None):
    return LeaveFacts(
        year=year,
        sex=sex,
        employed=employed,
        child_birth_date=born,
        lawful_birth=lawful,
        only_child=only_child,
        hospitalised_parent_age=parent_age,
    )


def days(result):
    d = result.data
    return (
        d["maternity_leave_days"],
        d["paternity_leave_days"],
        d["parental_leave_days"],
        d["only_child_care_leave_days"],
    )


@pytest.mark.parametrize(
    ("facts", "expected", "until"),
    [
        (leave("female", date(2025, 3, 1)), (180, 0, 20, 0), date(2028, 2, 29)),
        (leave("male", date(2025, 3, 1)), (0, 25, 20, 0), date(2028, 2, 29)),
        # Child born earlier: only parental leave, while the child is under 3 on some day of the year.
        (leave("female", date(2022, 6, 1)), (0, 0, 20, 0), date(2025, 5, 31)),
        (leave("male", date(2022, 1, 2)), (0, 0, 20, 0), date(2025, 1, 1)),
        (leave("male", date(2022, 1, 1)), (0, 0, 0, 0), None),  # 3 on 1 January 2025
        (leave("female", date(2024, 2, 29)), (0, 0, 20, 0), date(2027, 2, 28)),  # birthday taken as 1 March
        (leave("female", date(2026, 1, 5)), (0, 0, 0, 0), None),  # born after the year
        (leave("female", date(2025, 3, 1), lawful=False), (0, 0, 0, 0), None),
        (leave("female", only_child=True, parent_age=60), (0, 0, 0, 15), None),
        (leave("male", only_child=True, parent_age=59), (0, 0, 0, 0), None),
        (leave("male", only_child=False, parent_age=75), (0, 0, 0, 0), None),
        (
            leave("female", date(2025, 8, 8), only_child=True, parent_age=82),
            (180, 0, 20, 15),
            date(2028, 8, 7),
        ),
    ],
)
def test_leave_entitlements(snapshot, facts, expected, until):
    result = calculate(facts, snapshot(date(facts.year, 12, 31)))
    assert days(result) == expected
    assert result.data.get("parental_leave_until") == until
    assert str(result.amount) == "0.00"
    assert result.eligible is any(expected)
    assert [r.code for r in result.reasons] == ([] if any(expected) else ["no_leave_entitlement"])


def test_leave_is_for_employees(snapshot):
    result = calculate(leave("female", date(2025, 3, 1), employed=False), snapshot(date(2025, 12, 31)))
    assert days(result) == (0, 0, 0, 0)
    assert [r.code for r in result.reasons] == ["not_employed"]


def test_leave_days_come_from_parameters(snapshot):
    params = snapshot(date(2025, 12, 31), leave__maternity_days=158, leave__parental_days_per_year=10)
    assert days(calculate(leave("female", date(2025, 3, 1)), params)) == (158, 0, 10, 0)
