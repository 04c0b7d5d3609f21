"""A child's age in whole years on a day (年满18周岁 ends the case; under 3 gets the childcare subsidy).

Not relativedelta: `relativedelta(date(2026, 2, 28), date(2008, 2, 29)).years` is already 18 (it clamps the
birthday to the month's end), while this portal has always counted a 29 February child a year older on
1 March of a common year. The tuple comparison below keeps that, and a test pins it.
"""

from datetime import date

ADULT_AGE = 18


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def child_age(person, today: date | None = None) -> int:
    return age_on(person.birth_date, today or date.today())
