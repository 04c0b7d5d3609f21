"""Fault 1 of issue 12: money is exact on every database.

The refund facts statement sums and compares money in SQL. On SQLite a DecimalField column holds a binary
float (NUMERIC affinity stores '1234.57' as REAL), so `paid_employer + paid_employee >= amount_due` and
`SUM(...)` were float arithmetic: a month paid to the fen could count as short-paid ("arrears",
"insufficient months"). The reference here is the rule applied in Python to the rows as Decimal — the
ORM reads every stored value back exactly — and every employer's facts and decision must equal it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import models

from apps.core.money_sql import MAX_EXACT_DIGITS, MoneyTotalField
from apps.eligibility.calculators import stable_job_refund
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.parameters import parameter_snapshot
from apps.employers.models import Contribution
from apps.employers.refund_facts import STREAK_MONTHS, refund_facts
from tests.decisions.population import YEAR, build_population

pytestmark = pytest.mark.django_db

POPULATION = 300


def _reference_facts(employers, size_classes) -> dict[int, StableJobRefundFacts]:
    """R1's facts computed in Python with Decimal, from the rows the ORM reads back."""
    facts_year = YEAR - 1
    december = date(facts_year, 12, 1)
    months: dict[int, dict[date, tuple]] = defaultdict(dict)
    for row in Contribution.objects.filter(employer__in=employers, period__lte=december).values_list(
            "employer_id", "period", "insured_headcount", "amount_due", "paid_employer", "paid_employee"):
        months[row[0]][row[1]] = row[2:]
    reference = {}
    for employer in employers:
        rows = months[employer.pk]
        streak = 0
        for back in range(STREAK_MONTHS):
            row = rows.get(december - relativedelta(months=back))
            if row is None or row[2] + row[3] < row[1]:
                break
            streak += 1
        reference[employer.pk] = StableJobRefundFacts(
            facts_year=facts_year, entity_type=employer.entity_type, size_class=size_classes[employer.pk],
            months_paid_in_full=streak, has_arrears=any(r[2] + r[3] < r[1] for r in rows.values()),
            serious_dishonesty=employer.serious_dishonesty,
            headcount_start=rows[date(facts_year, 1, 1)][0] if date(facts_year, 1, 1) in rows else 0,
            headcount_end=rows[december][0] if december in rows else 0,
            contributions_paid=sum((r[2] + r[3] for p, r in rows.items() if p.year == facts_year), Decimal("0.00")))
    return reference


def test_refund_decisions_of_a_generated_population_equal_the_decimal_reference():
    employers = build_population(POPULATION)
    params = parameter_snapshot(as_of=date(YEAR - 1, 12, 31))
    computed = {employer_id: facts for employer_id, facts, _ in
                refund_facts(employer_ids=[e.pk for e in employers], year=YEAR, params=params)}
    reference = _reference_facts(employers, {pk: f.size_class for pk, f in computed.items()})

    def decision(facts):
        result = stable_job_refund.calculate(facts, params, explain=False)
        return result.eligible, tuple(r.code for r in result.reasons), result.amount

    differing = [pk for pk in reference if decision(computed[pk]) != decision(reference[pk])]
    assert len(computed) == POPULATION
    assert any(f.has_arrears for f in reference.values())  # the population has real arrears too
    assert differing == [], f"{len(differing)} of {POPULATION} decisions differ from the Decimal reference"
    assert computed == reference  # every fact to the fen, not only the decisions


def test_every_money_column_fits_what_sqlite_keeps_exactly():
    """MONEY_FEN reads a REAL back to 15 significant digits: exact only if no column needs more. Totals that
    may (16 digits) are MoneyTotalField, kept as text on SQLite."""
    too_wide = [f"{model._meta.label}.{field.name}" for model in apps.get_models() for field in model._meta.fields
                if isinstance(field, models.DecimalField) and not isinstance(field, MoneyTotalField)
                and field.max_digits > MAX_EXACT_DIGITS]
    assert too_wide == []
