"""Which (child, month) pairs count for the operating subsidy, and at which institution. Pure: no database.

The rule ("counted in a month"), chosen so that a month is never paid twice and never lost:

1. Enrollment decides *where* a child may count: an enrollment counts for a month when it covers at least
   one day of it (start and leaving dates both inclusive). A child who leaves on 15 March counts for
   March and not for April; a child who leaves on 1 April counts for April.
2. Attendance can only take a month away, never add one: when a monthly attendance record exists for that
   enrollment, the month counts only if days_present ≥ the policy parameter
   `childcare.min_attendance_days_per_month`. Without a record, enrollment alone counts (institutions
   report attendance; a missing report is not an absence).
3. A child counts once per month, at one institution: when a child moves mid-month, the month goes to
   the earliest enrollment that qualifies under 1 and 2 (the institution the child was in first). So a
   child who left A on 15 March and started at B on 16 March counts for March at A — unless A's
   attendance for March is below the threshold, in which case B gets it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Span:
    enrollment_id: Hashable
    child_id: Hashable
    institution_id: Hashable
    start: date
    end: date | None  # inclusive; None = still enrolled


def month_end(day: date) -> date:
    """The last day of `day`'s month (relativedelta's day=31 stops at the month's end)."""
    return day + relativedelta(day=31)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, month_end(first)


def counted_months(spans: Iterable[Span], attendance: Mapping[tuple[Hashable, date], int], year: int,
                   min_days: int) -> dict[tuple[Hashable, int], Span]:
    """(child id, month 1–12) → the enrollment that month is counted at, for every counted child-month in `year`.

    `attendance` maps (enrollment id, first day of month) → days present.
    """
    by_child: dict[Hashable, list[Span]] = {}
    for span in spans:
        by_child.setdefault(span.child_id, []).append(span)
    counted: dict[tuple[Hashable, int], Span] = {}
    for child, child_spans in by_child.items():
        child_spans.sort(key=lambda s: (s.start, str(s.enrollment_id)))
        for month in range(1, 13):
            first, last = month_bounds(year, month)
            for span in child_spans:
                if span.start > last or (span.end is not None and span.end < first):
                    continue
                days = attendance.get((span.enrollment_id, first))
                if days is not None and days < min_days:
                    continue
                counted[(child, month)] = span
                break
    return counted
