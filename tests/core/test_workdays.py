"""The working-day calendar: ordinary weeks, holidays on weekdays and weekend days worked (调休)."""

from datetime import date

import pytest

from apps.core.models import CalendarDay
from apps.core.workdays import is_working_day, working_days_between, working_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_day_2026():
    """A 国庆 week as the State Council sets one: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked."""
    for day in range(1, 8):
        CalendarDay.objects.create(date=date(2026, 10, day), kind="holiday", name="国庆节、中秋节")
    CalendarDay.objects.create(date=date(2026, 9, 20), kind="workday", name="国庆节调休上班")
    CalendarDay.objects.create(date=date(2026, 10, 10), kind="workday", name="国庆节调休上班")


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 9, 18), True),    # Friday
    (date(2026, 9, 19), False),   # Saturday
    (date(2026, 9, 20), True),    # Sunday worked (调休)
    (date(2026, 9, 30), True),    # Wednesday before the holiday
    (date(2026, 10, 1), False),   # Thursday, holiday
    (date(2026, 10, 7), False),   # Wednesday, last holiday
    (date(2026, 10, 8), True),    # Thursday after
    (date(2026, 10, 10), True),   # Saturday worked
    (date(2026, 10, 11), False),  # Sunday
])
def test_is_working_day(national_day_2026, day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(("start", "days", "first", "last"), [
    # An ordinary week: Monday + 5 working days ends on Friday; a Saturday start begins on Monday.
    (date(2026, 11, 2), 5, date(2026, 11, 2), date(2026, 11, 6)),
    (date(2026, 11, 7), 1, date(2026, 11, 9), date(2026, 11, 9)),
    (date(2026, 11, 7), 5, date(2026, 11, 9), date(2026, 11, 13)),
    # Across the 国庆 week: 09-28 Mon, 29, 30 count; 10-01..07 do not; 10-08 Thu, 09 Fri, 10 Sat (调休).
    (date(2026, 9, 28), 5, date(2026, 9, 28), date(2026, 10, 9)),
    (date(2026, 9, 28), 6, date(2026, 9, 28), date(2026, 10, 10)),
    (date(2026, 9, 28), 7, date(2026, 9, 28), date(2026, 10, 12)),
    # Starting on a holiday: the window opens on the first working day after it.
    (date(2026, 10, 1), 1, date(2026, 10, 8), date(2026, 10, 8)),
    # Starting on the worked Sunday: it counts.
    (date(2026, 9, 20), 1, date(2026, 9, 20), date(2026, 9, 20)),
])
def test_working_window(national_day_2026, start, days, first, last):
    assert working_window(start, days) == (first, last)


def test_working_days_between(national_day_2026):
    assert working_days_between(date(2026, 9, 28), date(2026, 10, 12)) == 7
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 10, 2), date(2026, 10, 1)) == 0


def test_a_window_has_a_working_day():
    with pytest.raises(ValueError):
        working_window(date(2026, 11, 2), 0)
