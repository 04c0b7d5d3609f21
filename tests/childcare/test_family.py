"""Family side: national childcare subsidy per year from a child's record (calculator + parameters)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from apps.childcare.selectors import child_subsidy_years
from tests.childcare.factories import child

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("birth", "expected"), [
    (date(2025, 1, 15), {2025: (12, "3600.00"), 2026: (12, "3600.00"), 2027: (12, "3600.00")}),
    (date(2025, 7, 1), {2025: (6, "1800.00"), 2026: (12, "3600.00"), 2027: (12, "3600.00"), 2028: (6, "1800.00")}),
    (date(2023, 3, 10), {2025: (12, "3600.00"), 2026: (2, "600.00")}),  # turns 3 in March 2026
    (date(2022, 1, 1), {}),  # 3 before the start date
])
def test_subsidy_years_prorate_to_age_three(birth, expected):
    results = child_subsidy_years(child(birth=birth))
    assert {r.data["year"]: (r.data["months"], str(r.amount)) for r in results} == expected
    assert all(isinstance(r.amount, Decimal) for r in results)


def test_family_panel_include_renders_years_and_steps():
    html = render_to_string("childcare/_family_subsidy.html",
                            {"childcare_subsidy_years": child_subsidy_years(child(birth=date(2025, 7, 1)))})
    assert "国家育儿补贴" in html and "2025年" in html and "1,800.00" in html and "计发月数" in html
    empty = render_to_string("childcare/_family_subsidy.html", {"childcare_subsidy_years": []})
    assert "没有可享受" in empty
