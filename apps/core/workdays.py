"""Working-day arithmetic: ordinary weeks plus the administrator's list of holidays and 调休 days.

A window of N working days (a 公示 period, an objection deadline) starts on the first working day on or after
its start date and ends on its Nth working day. The exceptions are `CalendarDay` rows; a day not listed is a
working day Monday to Friday. Counting walks the calendar one day at a time with the year's exceptions
read once — a window is days or weeks, never years.
"""

from __future__ import annotations

from datetime import date, timedelta

from apps.core.models import CalendarDay

# A window longer than this many calendar days is refused: it would mean a calendar with no working day.
_MAX_SPAN_DAYS = 366


def _exceptions(start: date, end: date) -> dict[date, str]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind"))


def _is_working(day: date, exceptions: dict[date, str]) -> bool:
    kind = exceptions.get(day)
    if kind is not None:
        return kind == CalendarDay.Kind.WORKDAY
    return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return _is_working(day, _exceptions(day, day))


def working_window(start: date, days: int) -> tuple[date, date]:
    """(first, last) working day of a window of `days` working days starting on or after `start`."""
    if days < 1:
        raise ValueError("a window has at least one working day")
    exceptions = _exceptions(start, start + timedelta(days=_MAX_SPAN_DAYS))
    first = None
    counted = 0
    day = start
    for _ in range(_MAX_SPAN_DAYS):
        if _is_working(day, exceptions):
            first = first or day
            counted += 1
            if counted == days:
                return first, day
        day += timedelta(days=1)
    raise ValueError("no such window within a year: check the holiday calendar")


def working_days_between(start: date, end: date) -> int:
    """Working days in [start, end], both included (0 when end < start)."""
    if end < start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(_is_working(start + timedelta(days=i), exceptions) for i in range((end - start).days + 1))
