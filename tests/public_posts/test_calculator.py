"""R9 公益性岗位 monthly subsidy: prorated by calendar days, post + social insurance, half-up once — table-driven,
with the boundaries: a mid-month start, a mid-month exit, the tenure-limit month, February, leap years."""

from datetime import date
from decimal import Decimal

import pytest

from apps.eligibility.calculators import public_post_subsidy as calc
from apps.eligibility.calculators.base import FactRefused
from apps.eligibility.parameter_fixtures import fixture_rows
from tests.eligibility.conftest import snapshot_from_rows

ROWS = fixture_rows()
MONTHLY = Decimal("1900.00") + Decimal("850.00")  # the shipped 示例值


def run(year, month, start, end, exit_date=None, extended=False, **overrides):
    facts = calc.PublicPostSubsidyFacts(year=year, month=month, start_date=start, agreed_end_date=end,
                                        exit_date=exit_date, extended_to_retirement=extended)
    return calc.calculate(facts, snapshot_from_rows(ROWS, date(year, month, 1), **overrides))


@pytest.mark.parametrize(
    ("year", "month", "start", "end", "exit_date", "days", "amount"),
    [
        # whole month: exactly post + social insurance
        (2026, 3, date(2026, 1, 1), date(2026, 12, 31), None, 31, "2750.00"),
        # start on the month's first day and last day
        (2026, 3, date(2026, 3, 1), date(2026, 12, 31), None, 31, "2750.00"),
        (2026, 3, date(2026, 3, 31), date(2026, 12, 31), None, 1, "88.71"),  # 2750 / 31 = 88.709… → 88.71
        # start mid-month: 16..30 of April = 15 of 30 days
        (2026, 4, date(2026, 4, 16), date(2026, 12, 31), None, 15, "1375.00"),
        # exit mid-month: last day in post 05-10 → 10 of 31 days (2750 × 10 / 31 = 887.096… → 887.10)
        (2026, 5, date(2026, 1, 1), date(2026, 12, 31), date(2026, 5, 10), 10, "887.10"),
        # exit on the month's last day: whole month; exit on the day before the month: nothing
        (2026, 5, date(2026, 1, 1), date(2026, 12, 31), date(2026, 5, 31), 31, "2750.00"),
        (2026, 6, date(2026, 1, 1), date(2026, 12, 31), date(2026, 5, 31), 0, "0.00"),
        # start and exit in the same month
        (2026, 6, date(2026, 6, 11), date(2026, 12, 31), date(2026, 6, 20), 10, "916.67"),  # 916.666… → 916.67
        # agreed end mid-month
        (2026, 12, date(2026, 1, 1), date(2026, 12, 15), None, 15, "1330.65"),  # 1330.645… half-up → 1330.65
        # before the start month: nothing
        (2026, 2, date(2026, 3, 1), date(2026, 12, 31), None, 0, "0.00"),
        # February, common and leap year
        (2026, 2, date(2026, 2, 15), date(2026, 12, 31), None, 14, "1375.00"),
        (2028, 2, date(2028, 2, 15), date(2028, 12, 31), None, 15, "1422.41"),  # 2750 × 15 / 29 = 1422.413…
    ],
)
def test_month_amounts(year, month, start, end, exit_date, days, amount):
    result = run(year, month, start, end, exit_date)
    assert result.data["days_in_post"] == days
    assert str(result.amount) == amount
    assert result.eligible is (days > 0)
    assert [p.key for p in result.parameters] == ["public_posts.post_subsidy_monthly",
                                                   "public_posts.social_insurance_subsidy_monthly",
                                                   "public_posts.tenure_limit_months"]


@pytest.mark.parametrize(
    ("month", "extended", "days", "amount"),
    [
        # start 2026-03-15, 36 months: the last day paid is 2029-03-14 (14 of 31 days of March 2029)
        ((2029, 2), False, 28, "2750.00"),
        ((2029, 3), False, 14, "1241.94"),  # 2750 × 14 / 31 = 1241.935… → 1241.94
        ((2029, 4), False, 0, "0.00"),
        # a placement extended to retirement is paid to its agreed end, past the tenure limit
        ((2029, 3), True, 31, "2750.00"),
        ((2029, 4), True, 30, "2750.00"),
    ],
)
def test_tenure_limit_month(month, extended, days, amount):
    result = run(*month, date(2026, 3, 15), date(2030, 12, 31), extended=extended)
    assert result.data["tenure_last_day"] == date(2029, 3, 14)
    assert result.data["days_in_post"] == days
    assert str(result.amount) == amount


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (date(2026, 3, 15), 36, date(2029, 3, 14)),
        (date(2026, 1, 1), 36, date(2028, 12, 31)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # 01-31 + 1 month = 02-28; the day before
        (date(2027, 2, 28), 12, date(2028, 2, 27)),
        (date(2028, 2, 29), 12, date(2029, 2, 27)),  # no 02-29 in 2029: 02-28, the day before
    ],
)
def test_tenure_last_day(start, months, last_day):
    assert calc.tenure_last_day(start, months) == last_day


def test_reads_every_parameter_not_a_constant():
    result = run(2026, 3, date(2026, 3, 17), date(2026, 12, 31),
                 public_posts__post_subsidy_monthly=Decimal("2000.00"),
                 public_posts__social_insurance_subsidy_monthly=Decimal("1000.00"))
    assert str(result.amount) == "1451.61"  # 3000 × 15 / 31 = 1451.612…
    short = run(2026, 5, date(2026, 3, 15), date(2026, 12, 31), public_posts__tenure_limit_months=2)
    assert short.data["tenure_last_day"] == date(2026, 5, 14) and short.data["days_in_post"] == 14


def test_rounds_once_at_the_end():
    # 1900 × 1/31 = 61.290… and 850 × 1/31 = 27.419…: rounding each first gives 61.29 + 27.42 = 88.71 as well,
    # so use amounts where it matters: 0.005 + 0.005 → 0.01 once (each part alone would round to 0.01 → 0.02).
    result = run(2026, 3, date(2026, 3, 31), date(2026, 12, 31),
                 public_posts__post_subsidy_monthly=Decimal("0.155"),
                 public_posts__social_insurance_subsidy_monthly=Decimal("0.155"))
    assert str(result.amount) == "0.01"  # 0.31 / 31 = 0.01 exactly; half-up of each 0.005 would give 0.02


def test_explanation_steps_and_json():
    result = run(2026, 4, date(2026, 4, 16), date(2026, 12, 31))
    labels = [s.label for s in result.steps]
    assert labels == ["当月在岗天数", "岗位补贴", "社会保险补贴", "合计（四舍五入到分）"]
    assert result.steps[0].value == "15 / 30 天"
    assert "按日折算" in result.steps[1].formula
    assert result.to_dict()["amount"] == "1375.00"


def test_before_the_programme_is_no_scheme():
    result = run(2024, 12, date(2024, 12, 1), date(2025, 12, 31))
    assert not result.eligible and result.reasons[0].code == "no_scheme_in_force"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"month": 13}, "month"),
        ({"agreed_end_date": date(2026, 1, 1)}, "agreed_end_date"),
        ({"exit_date": date(2026, 2, 1)}, "exit_date"),
    ],
)
def test_refused_facts(kwargs, field):
    values = {"year": 2026, "month": 3, "start_date": date(2026, 3, 1), "agreed_end_date": date(2026, 12, 31),
              **kwargs}
    facts = calc.PublicPostSubsidyFacts(**values)
    with pytest.raises(FactRefused) as error:
        calc.calculate(facts, snapshot_from_rows(ROWS, date(2026, 3, 1)))
    assert error.value.field == field
