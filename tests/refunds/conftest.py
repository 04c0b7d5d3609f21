"""A hand-checked data set for refund year 2025 (facts year 2024), one employer per boundary or reason.

Default employer: 工业 enterprise in 南关区 (220102), 50 employees, revenue 5,000 万元 (→ small), 50 insured
every month of 2023 and 2024, 1,000.00 due and paid (700 + 300) every month → 12 months in full,
contributions 12,000.00, 60% → 7,200.00. Each case changes only what its name says. The expected values
below were worked out by hand from RULES.md R1/R1.1 — not by running the code.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from apps.employers.models import Contribution
from tests.factories import EmployerFactory

YEAR = 2025  # refund year; facts year 2024
MONTHS = [date(y, m, 1) for y in (2023, 2024) for m in range(1, 13)]


@dataclass
class Case:
    key: str
    decision: str
    reasons: str
    size_class: str
    rate: str | None
    contributions_paid: str
    amount: str
    months: int
    employer: dict = field(default_factory=dict)
    periods: list = field(default_factory=lambda: list(MONTHS))
    headcount: dict = field(default_factory=dict)  # period -> insured headcount (default 50)
    paid: dict = field(default_factory=dict)  # period -> (paid_employer, paid_employee)
    late_fee: dict = field(default_factory=dict)


J, D = date(2024, 1, 1), date(2024, 12, 1)
LARGE = {"employees": 1500, "revenue_10k": Decimal("50000")}


def _from(start: date) -> list[date]:
    return [p for p in MONTHS if p >= start]


CASES = [
    Case("baseline", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24),
    Case("exactly_12_months", "eligible", "", "small", "60.00", "12000.00", "7200.00", 12, periods=_from(J)),
    Case("eleven_months", "ineligible", "insufficient_months", "small", "60.00", "11000.00", "0.00", 11,
         periods=_from(date(2024, 2, 1))),  # no January row: headcount_start 0, layoff rate 0
    Case("no_contributions", "ineligible", "insufficient_months", "micro", "60.00", "0.00", "0.00", 0,
         employer={"employees": None, "revenue_10k": None}, periods=[]),  # Dec headcount 0 stands in → micro
    Case("arrears_last_year", "ineligible", "arrears", "small", "60.00", "12000.00", "0.00", 18,
         paid={date(2023, 6, 1): ("300.00", "200.00")}),
    Case("short_paid_march", "ineligible", "insufficient_months;arrears", "small", "60.00", "11999.99", "0.00", 9,
         paid={date(2024, 3, 1): ("700.00", "299.99")}),
    Case("dishonest", "ineligible", "serious_dishonesty", "small", "60.00", "12000.00", "0.00", 24,
         employer={"serious_dishonesty": True}),
    Case("small_layoff_exactly_20", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24,
         headcount={J: 30, D: 24}),
    Case("small_layoff_over_20", "ineligible", "layoff_rate_exceeded", "small", "60.00", "12000.00", "0.00", 24,
         headcount={J: 30, D: 23}),
    Case("thirty_one_insured", "ineligible", "layoff_rate_exceeded", "small", "60.00", "12000.00", "0.00", 24,
         headcount={J: 31, D: 25}),  # 19.35% would pass the small test; 31 > 30 so the 5.5% target applies
    Case("layoff_exactly_5_5", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24,
         headcount={J: 200, D: 189}),
    Case("layoff_6", "ineligible", "layoff_rate_exceeded", "small", "60.00", "12000.00", "0.00", 24,
         headcount={J: 200, D: 188}),
    Case("unknown_revenue_large", "eligible", "", "large", "30.00", "12000.00", "3600.00", 24,
         employer={"employees": 1200, "revenue_10k": None}),  # revenue skipped: X ≥ 1000 alone → large
    Case("law_firm_large", "eligible", "", "large", "60.00", "12000.00", "7200.00", 24,
         employer={"entity_type": "law_firm", **LARGE}),
    Case("large_enterprise", "eligible", "", "large", "30.00", "12000.00", "3600.00", 24, employer=LARGE),
    Case("back_payment_and_late_fee", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24,
         paid={date(2023, 5, 1): ("2100.00", "900.00")},  # an earlier year's back-payment row
         late_fee={date(2024, 2, 1): Decimal("88.88"), date(2024, 7, 1): Decimal("12.00")}),
    Case("rounding_half_up", "eligible", "", "large", "30.00", "12000.75", "3600.23", 24, employer=LARGE,
         paid={date(2024, 4, 1): ("700.00", "300.75")}),  # 30% × 12,000.75 = 3,600.225 → 3,600.23
    Case("public_institution", "ineligible", "entity_type_not_covered", "small", None, "12000.00", "0.00", 24,
         employer={"entity_type": "public_institution"}),
    Case("social_org", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24,
         employer={"entity_type": "social_org"}),
    Case("tiny_individual_business", "ineligible", "layoff_rate_exceeded", "micro", "60.00", "12000.00", "0.00", 24,
         employer={"entity_type": "individual_business", "employees": 3, "revenue_10k": Decimal("20")},
         headcount={J: 3, D: 2}),
    Case("every_reason", "ineligible", "insufficient_months;arrears;layoff_rate_exceeded;serious_dishonesty", "small",
         "60.00", "11500.00", "0.00", 2, employer={"serious_dishonesty": True}, headcount={J: 50, D: 40},
         paid={date(2024, 10, 1): ("300.00", "200.00")}),
    Case("micro", "eligible", "", "micro", "60.00", "12000.00", "7200.00", 24,
         employer={"employees": 5, "revenue_10k": Decimal("100")}, headcount={J: 5, D: 5}),
    Case("unknown_employees_december_headcount", "eligible", "", "medium", "60.00", "12000.00", "7200.00", 24,
         employer={"employees": None, "revenue_10k": None}, headcount={J: 350, D: 350}),
    Case("growing", "eligible", "", "small", "60.00", "12000.00", "7200.00", 24, headcount={J: 20, D: 40}),
    Case("gap_in_2023", "eligible", "", "small", "60.00", "12000.00", "7200.00", 14,
         periods=[p for p in MONTHS if p != date(2023, 10, 1)]),  # streak Nov 2023 – Dec 2024
]
EXPECTED_TOTAL = sum(Decimal(c.amount) for c in CASES)
EXPECTED_ELIGIBLE = sum(1 for c in CASES if c.decision == "eligible")


def build_case(case: Case, region_id: str = "220102"):
    employer = EmployerFactory(region_id=region_id, name=f"{case.key}有限公司",
                               **{"employees": 50, "revenue_10k": Decimal("5000"), **case.employer})
    rows = []
    for period in case.periods:
        employer_part, employee_part = case.paid.get(period, ("700.00", "300.00"))
        rows.append(Contribution(employer=employer, period=period, insured_headcount=case.headcount.get(period, 50),
                                 amount_due=Decimal("1000.00"), paid_employer=Decimal(employer_part),
                                 paid_employee=Decimal(employee_part), late_fee=case.late_fee.get(period, 0)))
    Contribution.objects.bulk_create(rows)
    return employer


@pytest.fixture
def dataset(db):
    """{case key: employer}; plus one employer of 吉林市船营区 that a 长春 run must not see."""
    employers = {case.key: build_case(case) for case in CASES}
    employers["other_city"] = build_case(CASES[0], region_id="220204")
    return employers


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Start a run and let the (eager) chunk tasks run when its transaction commits."""
    from apps.refunds.services import run_start

    def start(**kwargs):
        kwargs.setdefault("year", YEAR)
        kwargs.setdefault("region_code", "220100")
        with django_capture_on_commit_callbacks(execute=True):
            run = run_start(**kwargs)
        run.refresh_from_db()
        return run

    return start


@pytest.fixture
def publicizing_run(dataset, caseworker, run_now):
    """An official 南关区 run in its 公示 window: opened three days ago, closing in four (objections accepted)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.refunds.models import RefundRun

    run = run_now(user=caseworker, region_code="220102")
    today = timezone.localdate()
    RefundRun.objects.filter(pk=run.pk).update(status=RefundRun.Status.PUBLICIZING, published_at=timezone.now(),
                                               publicity_starts_on=today - timedelta(days=3),
                                               publicity_ends_on=today + timedelta(days=4))
    run.refresh_from_db()
    return run
