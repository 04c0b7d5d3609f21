"""A generated population of ordinary employers: amounts with fen (1,234.57), paid in two parts that add up
to exactly what was due, over many months — the data on which binary-float money goes wrong.

Deterministic (a seeded generator), so a test that fails names the same employers every time.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from apps.core.demo import make_uscc
from apps.employers.models import Contribution, Employer
from tests.factories import EmployerFactory

YEAR = 2025  # refund year; facts year 2024
PERIODS = [date(y, m, 1) for y in (2022, 2023, 2024) for m in range(1, 13)]
SEED = 20250101


def _fen(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)).scaleb(-2)


def build_population(size: int = 300, *, seed: int = SEED, region_id: str = "220102") -> list[Employer]:
    """`size` employers, 36 months each. Every month is paid in full — the employer's share (a rate of the
    amount due, to the fen) plus the employee's (the rest) — except one short-paid month by one fen for
    about one employer in twenty, so the population has real arrears too."""
    rng = random.Random(seed)
    employers = [EmployerFactory(region_id=region_id, name=f"生成单位{n:04d}有限公司",
                                 uscc=make_uscc(region_id, 7_000_000 + n),
                                 employees=rng.randint(5, 400), revenue_10k=_fen(rng, 10_000, 9_000_000))
                 for n in range(size)]
    rows = []
    for employer in employers:
        headcount = rng.randint(31, 300)
        short = rng.choice(PERIODS) if rng.random() < 0.05 else None
        for period in PERIODS:
            due = _fen(rng, 50_000, 2_000_000)  # 500.00 … 20,000.00 yuan, any fen
            share = (due * Decimal(rng.choice(("0.7", "0.6667", "0.5", "0.8125")))).quantize(Decimal("0.01"))
            employee = due - share - (Decimal("0.01") if period == short else 0)
            rows.append(Contribution(employer=employer, period=period, insured_headcount=headcount,
                                     amount_due=due, paid_employer=share, paid_employee=employee))
    Contribution.objects.bulk_create(rows, batch_size=2000)
    return employers
