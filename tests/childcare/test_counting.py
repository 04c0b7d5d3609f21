"""The "counted in a month" rule, as a pure function (apps.childcare.child_months)."""

from datetime import date

import pytest

from apps.childcare.child_months import Span, counted_months


def span(enrollment, institution, start, end=None, child="c"):
    return Span(enrollment, child, institution, start, end)


def months_at(counted, institution):
    return sorted(month for (_child, month), s in counted.items() if s.institution_id == institution)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 1, 1), None, list(range(1, 13))),
    (date(2025, 3, 15), date(2025, 3, 15), [3]),  # one day in the month is enough
    (date(2025, 1, 1), date(2025, 3, 15), [1, 2, 3]),  # leaving mid-March: March counts, April does not
    (date(2025, 1, 1), date(2025, 3, 31), [1, 2, 3]),  # leaving on the last day of March
    (date(2025, 1, 1), date(2025, 4, 1), [1, 2, 3, 4]),  # last day in care 1 April: April counts
    (date(2025, 3, 31), date(2025, 4, 30), [3, 4]),  # joining on the last day of March
    (date(2024, 6, 1), date(2025, 1, 31), [1]),  # earlier years are not this year's
    (date(2025, 12, 31), None, [12]),
    (date(2026, 1, 1), None, []),
])
def test_enrollment_counts_every_month_it_touches(start, end, expected):
    counted = counted_months([span(1, "A", start, end)], {}, 2025, min_days=1)
    assert months_at(counted, "A") == expected


@pytest.mark.parametrize(("days", "min_days", "counted"), [
    (None, 1, True),  # no attendance report: enrollment alone counts
    (0, 1, False), (1, 1, True),  # threshold 1: both sides
    (9, 10, False), (10, 10, True),  # a raised threshold: both sides
])
def test_attendance_can_only_remove_a_month(days, min_days, counted):
    attendance = {} if days is None else {(1, date(2025, 5, 1)): days}
    result = counted_months([span(1, "A", date(2025, 5, 1), date(2025, 5, 31))], attendance, 2025, min_days)
    assert (("c", 5) in result) is counted


def test_child_moving_mid_month_counts_once_at_the_first_institution():
    spans = [span(1, "A", date(2025, 1, 1), date(2025, 3, 15)), span(2, "B", date(2025, 3, 16))]
    counted = counted_months(spans, {}, 2025, min_days=1)
    assert months_at(counted, "A") == [1, 2, 3]
    assert months_at(counted, "B") == list(range(4, 13))
    assert len(counted) == 12  # once per month


def test_month_passes_to_the_next_institution_when_the_first_reports_too_little_attendance():
    spans = [span(1, "A", date(2025, 1, 1), date(2025, 3, 2)), span(2, "B", date(2025, 3, 3))]
    counted = counted_months(spans, {(1, date(2025, 3, 1)): 0}, 2025, min_days=1)
    assert months_at(counted, "A") == [1, 2]
    assert 3 in months_at(counted, "B")


def test_two_children_are_counted_separately():
    spans = [span(1, "A", date(2025, 1, 1), child="x"), span(2, "A", date(2025, 7, 1), child="y")]
    assert len(counted_months(spans, {}, 2025, min_days=1)) == 12 + 6
