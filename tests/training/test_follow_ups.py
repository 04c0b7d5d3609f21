"""Follow-up due dates: calendar months after completion (dateutil.relativedelta), a month-end day staying at
the end of a shorter month — the same dates the former hand-written month loop gave."""

from datetime import date, timedelta

import pytest

from apps.training.models import FollowUp
from apps.training.services import enrollment_transition, follow_up_due_on
from tests.training.conftest import make_enrollment, make_program, walk_to


def _former_add_months(day: date, months: int) -> date:
    """The hand-written loop follow-ups were scheduled with before; kept here as the reference."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    return day + timedelta(days=30 * months)


@pytest.mark.parametrize(("completed_on", "months", "due_on"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),  # month end into a short February
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    (date(2026, 1, 31), 3, date(2026, 4, 30)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),  # across the year end
    (date(2026, 4, 30), 3, date(2026, 7, 30)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),
    (date(2026, 3, 31), 12, date(2027, 3, 31)),
])
def test_due_date_is_calendar_months_later(completed_on, months, due_on):
    assert follow_up_due_on(completed_on, months) == due_on == _former_add_months(completed_on, months)


def test_due_dates_are_those_of_the_former_loop_for_every_day_of_two_years():
    day = date(2027, 1, 1)
    while day < date(2029, 1, 1):
        for months in (1, 3, 6, 12, 18):
            assert follow_up_due_on(day, months) == _former_add_months(day, months), (day, months)
        day += timedelta(days=1)


@pytest.mark.django_db
def test_completion_on_january_31_schedules_the_end_of_april_and_july(occupations, caseworker):
    enrollment = walk_to(make_enrollment(make_program(occupations), caseworker), "in_training", caseworker)
    enrollment_transition(enrollment=enrollment, action="complete", user=caseworker,
                          payload={"completed_on": "2026-01-31"})
    due = dict(FollowUp.objects.filter(enrollment=enrollment).values_list("months", "due_on"))
    assert due == {3: date(2026, 4, 30), 6: date(2026, 7, 31)}
