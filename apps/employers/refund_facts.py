"""The facts of R1 (稳岗返还) for many employers in one SQL statement, and the enterprise size that goes with them.

The statement reads this app's tables (employers_employer, employers_contribution), so it lives here: a
schema change of the registry is made in this app alone. The refund runs (apps.refunds) and the eligibility
faces (apps.employers.eligibility_facts) both call it.

`refund_facts` is the public entry point for every face: a run calls it with an id range (one statement
per chunk), the per-employer explanation calls it with one id — so a single employer on screen is
computed exactly as its row in a run.

Facts for the facts year P (all from `employers_contribution`, one GROUP BY over the employer's rows up
to December of P):

* months_paid_in_full — consecutive months ending with December P whose contribution was paid in full
  (paid_employer + paid_employee >= amount_due). Computed without sorting: every month paid in full sets
  bit k of a mask, k = months before December P (0 = December); since (employer, period) is unique, the
  SUM of those powers of two is their bitwise OR. The streak is the number of trailing one bits (a missing
  or short-paid month is a zero bit). Counted over the last STREAK_MONTHS months (the rule needs 12).
* has_arrears — any month up to December P paid less than due.
* headcount_start — insured headcount of January P. No January row means nobody was insured with the unit
  on 1 January (documented assumption: 0, so the layoff rate is 0 — such a unit cannot have 12 months
  paid in full ending in December anyway, so the choice never makes it eligible).
* headcount_end — insured headcount of December P (0 without a December row).
* contributions_paid — paid_employer + paid_employee for the months of P. Late fees (滞纳金) are their own
  column and back-payments of earlier years (补缴历年欠费) are rows of earlier periods, so neither is
  counted. "On time" is read as "paid in full for the month" — the registry keeps no payment date.

Enterprise size uses the registry's employees, revenue and assets; unknown employees fall back to the
December headcount (the calculator says so in its steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection

from apps.core.money import FEN
from apps.core.money_sql import stored_decimal
from apps.eligibility.calculators import enterprise_size
from apps.eligibility.calculators.base import ParameterSnapshot, Result
from apps.eligibility.calculators.stable_job_refund import StableJobRefundFacts
from apps.eligibility.parameters import parameter_snapshot
from apps.employers.models import Employer

# Months counted back from December P for the paid-in-full streak. 60 bits fit a signed 64-bit integer.
STREAK_MONTHS = 60


# Vendor-specific pieces of the statement. PostgreSQL: months before December P from integer day
# arithmetic (periods are first-of-month dates; days × 400 / 12175 is days ÷ 30.436875, exact after
# rounding for any span of centuries — tested), BIT_OR and BOOL_OR, aggregate FILTERs: no numeric EXTRACT
# per row, about a third less CPU than the portable form; money is `numeric`, so + and SUM are exact.
# SQLite: strftime months; the SUM of distinct powers of two equals their bitwise OR because
# (employer, period) is unique. Its money columns hold binary floats, so every sum and comparison of money
# is done on integer fen (MONEY_FEN, apps.core.money_sql) and the year's total comes back as exact text.
_MONEY = {
    "postgresql": {"paid": "c.paid_employer + c.paid_employee", "due": "c.amount_due",
                   "year_paid": "SUM(c.paid_employer + c.paid_employee) FILTER (WHERE c.period >= %(january)s)"},
    "sqlite": {"paid": "MONEY_FEN(c.paid_employer) + MONEY_FEN(c.paid_employee)", "due": "MONEY_FEN(c.amount_due)",
               "year_paid": "MONEY_FROM_FEN(SUM(MONEY_FEN(c.paid_employer) + MONEY_FEN(c.paid_employee)) "
                            "FILTER (WHERE c.period >= %(january)s))"},
}
_PIECES = {
    "postgresql": {
        "mask": "BIT_OR(1::bigint << (((%(december)s::date - c.period) * 400 + 6087) / 12175)) "
                "FILTER (WHERE {paid} >= {due} AND c.period >= %(streak_from)s)",
        "arrears": "BOOL_OR({paid} < {due})",
        "year_paid": "{year_paid}",
    },
    "sqlite": {
        "mask": "SUM(1 << (%(december_index)s - (CAST(strftime('%%Y', c.period) AS INTEGER) * 12 "
                "+ CAST(strftime('%%m', c.period) AS INTEGER)))) "
                "FILTER (WHERE {paid} >= {due} AND c.period >= %(streak_from)s)",
        "arrears": "MAX({paid} < {due})",
        "year_paid": "{year_paid}",
    },
}
_PIECES = {vendor: {name: piece.format(**_MONEY[vendor]) for name, piece in pieces.items()}
           for vendor, pieces in _PIECES.items()}

# Columns of a facts row, in order.
_SQL = """
SELECT e.id, e.region_id, e.entity_type, e.industry, e.employees, e.revenue_10k, e.assets_10k,
       e.serious_dishonesty,
       COALESCE(f.full_mask, 0), COALESCE(f.arrears, {false}), COALESCE(f.headcount_start, 0),
       COALESCE(f.headcount_end, 0), COALESCE(f.paid, 0)
FROM employers_employer e
LEFT JOIN (
    SELECT c.employer_id,
           {mask} AS full_mask,
           {arrears} AS arrears,
           MAX(c.insured_headcount) FILTER (WHERE c.period = %(january)s) AS headcount_start,
           MAX(c.insured_headcount) FILTER (WHERE c.period = %(december)s) AS headcount_end,
           {year_paid} AS paid
    FROM employers_contribution c
    WHERE {contribution_filter} AND c.period <= %(december)s
    GROUP BY c.employer_id
) f ON f.employer_id = e.id
WHERE {employer_filter} AND e.region_id LIKE %(region_like)s
ORDER BY e.id
"""

# Distinct size inputs remembered per call (a chunk); bounded so a huge id list cannot grow it unchecked.
SIZE_MEMO_LIMIT = 50_000
# Employer rows fetched from the cursor at a time (a chunk is already bounded; this bounds memory again).
FETCH_SIZE = 5000


def streak_from_mask(mask: int) -> int:
    """Trailing one bits: months paid in full counted back from December P until the first gap."""
    mask = int(mask)
    return ((~mask & (mask + 1)).bit_length() - 1) if mask else 0


def _filters(employer_ids, id_range) -> tuple[str, str, dict]:
    if (employer_ids is None) == (id_range is None):
        raise ValueError("pass exactly one of employer_ids or id_range")
    if id_range is not None:
        lo, hi = id_range
        return ("c.employer_id >= %(lo)s AND c.employer_id < %(hi)s", "e.id >= %(lo)s AND e.id < %(hi)s",
                {"lo": lo, "hi": hi})
    ids = [int(i) for i in employer_ids] or [0]
    names = {f"id{n}": value for n, value in enumerate(ids)}
    placeholders = ", ".join(f"%({name})s" for name in names)
    return f"c.employer_id IN ({placeholders})", f"e.id IN ({placeholders})", names


def facts_rows(*, employer_ids: Iterable[int] | None = None, id_range: tuple[int, int] | None = None, year: int,
               region_prefix: str) -> Iterator[tuple]:
    """Raw facts rows (one statement) for employers in a region prefix, by ids or by [lo, hi) id range."""
    facts_year = year - 1
    vendor = connection.vendor if connection.vendor in _PIECES else "sqlite"
    contribution_filter, employer_filter, params = _filters(employer_ids, id_range)
    sql = _SQL.format(contribution_filter=contribution_filter, employer_filter=employer_filter,
                      false="FALSE" if vendor == "postgresql" else "0", **_PIECES[vendor])
    december = date(facts_year, 12, 1)
    params.update({
        "january": date(facts_year, 1, 1),
        "december": december,
        "december_index": facts_year * 12 + 12,  # SQLite: months are year × 12 + month in the statement
        "streak_from": december - relativedelta(months=STREAK_MONTHS - 1),  # the streak's first month
        "region_like": f"{region_prefix}%",
    })
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_SIZE):
            yield from batch


def _decimal(value) -> Decimal | None:
    """Money and 万元 figures as Decimal with their two places. PostgreSQL returns numeric; SQLite returns a
    column as the REAL it stores (read back exactly, apps.core.money_sql) and the year's sum as exact text.
    The quantize only restores the two places: every value is already a whole number of fen."""
    amount = stored_decimal(value)
    return None if amount is None else amount.quantize(FEN)


def enterprise_size_facts(*, facts_year: int, industry: str, employees: int | None, revenue: Decimal | None,
                          total_assets: Decimal | None, insured_headcount_december: int | None
                          ) -> enterprise_size.EnterpriseSizeFacts:
    """The size calculator's facts from a unit's registry figures (the industry mapped to its size table)."""
    return enterprise_size.EnterpriseSizeFacts(
        facts_year=facts_year, industry=Employer.Industry.size_table_key(industry), employees=employees,
        revenue=revenue, total_assets=total_assets, insured_headcount_december=insured_headcount_december)


def size_facts(row: tuple, facts_year: int) -> enterprise_size.EnterpriseSizeFacts:
    return enterprise_size_facts(facts_year=facts_year, industry=row[3], employees=row[4], revenue=_decimal(row[5]),
                                 total_assets=_decimal(row[6]), insured_headcount_december=int(row[11]))


def refund_facts_from_row(row: tuple, facts_year: int, size_class: str | None) -> StableJobRefundFacts:
    return StableJobRefundFacts(
        facts_year=facts_year, entity_type=row[2], size_class=size_class,
        months_paid_in_full=streak_from_mask(row[8]), has_arrears=bool(row[9]), serious_dishonesty=bool(row[7]),
        headcount_start=int(row[10]), headcount_end=int(row[11]), contributions_paid=_decimal(row[12]) or Decimal(0))


def refund_facts_rows(*, employer_ids: Iterable[int] | None = None, id_range: tuple[int, int] | None = None,
                      year: int, region_prefix: str, params: ParameterSnapshot, explain: bool = True
                      ) -> Iterator[tuple[tuple, StableJobRefundFacts, Result]]:
    """(raw row, facts, enterprise-size result) per employer, ordered by id — what a run chunk stores.
    A run passes explain=False: it stores the decision only (the explanation page recomputes the steps)."""
    facts_year = year - 1
    classify = enterprise_size.calculate
    # The size calculator is pure: employers with the same figures get the same Result object. Registries
    # hold many small firms with the same industry and headcount and no revenue, so this saves real time.
    sizes: dict[tuple, Result] = {}
    for row in facts_rows(employer_ids=employer_ids, id_range=id_range, year=year, region_prefix=region_prefix):
        key = (row[3], row[4], row[5], row[6], row[11] if row[4] is None else None)
        size = sizes.get(key)
        if size is None:
            if len(sizes) >= SIZE_MEMO_LIMIT:
                sizes.clear()
            size = sizes[key] = classify(size_facts(row, facts_year), params, explain=explain)
        yield row, refund_facts_from_row(row, facts_year, size.data["size_class"]), size


def refund_facts(*, employer_ids: Iterable[int] | None = None, id_range: tuple[int, int] | None = None, year: int,
                 region_prefix: str = "", params: ParameterSnapshot | None = None
                 ) -> Iterator[tuple[int, StableJobRefundFacts, Result]]:
    """The public entry point: (employer_id, StableJobRefundFacts, enterprise-size Result) per employer.

    `year` is the refund year Y; facts are about P = Y − 1. `params` is the snapshot as of 31 December P
    (built for the province when not given — a run passes its own, with its stored parameter versions).
    """
    if params is None:
        params = parameter_snapshot(as_of=date(year - 1, 12, 31))
    for row, facts, size in refund_facts_rows(employer_ids=employer_ids, id_range=id_range, year=year,
                                              region_prefix=region_prefix, params=params):
        yield row[0], facts, size


def employer_id_ranges(*, region_prefix: str, chunk_size: int) -> tuple[int, list[tuple[int, int]]]:
    """(employer count, [lo, hi) id ranges of chunk_size employers each) in a region prefix — one statement.

    Ranges are fixed when a run starts, by id, never by OFFSET: an employer registered later gets a
    higher id and falls outside every range (it was not registered when the run started).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT id, n, top FROM (
                   SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn, COUNT(*) OVER () AS n, MAX(id) OVER () AS top
                   FROM employers_employer WHERE region_id LIKE %s) t
               WHERE (rn - 1) %% %s = 0 ORDER BY id""",
            [f"{region_prefix}%", chunk_size])
        rows = cursor.fetchall()
    if not rows:
        return 0, []
    starts = [row[0] for row in rows]
    return rows[0][1], list(zip(starts, [*starts[1:], rows[0][2] + 1], strict=True))
