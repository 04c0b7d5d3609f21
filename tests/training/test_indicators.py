from decimal import Decimal

import pytest

from apps.training.indicators import export_table, indicator_rows, rate_percent
from tests.training.conftest import make_enrollment, make_program, walk_to


@pytest.mark.parametrize(("employed", "trained", "expected"), [
    # R6 quotes Jilin Jan–May 2025: "2.01万人次 … 就业4330人次，占 21.53%". 2.01万 is itself rounded:
    # 4330 / 20100 = 21.5423% → 21.54; the published 21.53% follows from an unrounded total such as 20,111.
    (4330, 20100, Decimal("21.54")),
    (4330, 20111, Decimal("21.53")),
    (1, 3, Decimal("33.33")),
    (2, 3, Decimal("66.67")),
    (1, 800, Decimal("0.13")),  # 0.125 → half-up, not banker's 0.12
    (0, 5, Decimal("0.00")),
    (5, 5, Decimal("100.00")),
    (0, 0, None),
])
def test_rate_percent(employed, trained, expected):
    assert rate_percent(employed, trained) == expected


@pytest.mark.django_db
def test_indicator_arithmetic_per_program_and_target_group(occupations, caseworker, supervisor,
                                                           django_assert_max_num_queries):
    program_a = make_program(occupations, name="A班")
    program_b = make_program(occupations, name="B班", occupation="ELD-01", subsidy_key="elderly_care")
    # A: 3 trained (2 employed at 4200 — one paid, one only verified), 1 dropout, 1 still in training
    walk_to(make_enrollment(program_a, caseworker), "paid", supervisor, caseworker)
    walk_to(make_enrollment(program_a, caseworker), "employment_verified", supervisor, caseworker)
    walk_to(make_enrollment(program_a, caseworker), "completed", supervisor, caseworker)
    walk_to(make_enrollment(program_a, caseworker), "dropped_out", supervisor, caseworker)
    walk_to(make_enrollment(program_a, caseworker), "in_training", supervisor, caseworker)
    # B: 1 trained and assessed, not employed; women returning
    walk_to(make_enrollment(program_b, caseworker, target_group="women_returning"), "assessed", supervisor, caseworker)
    # another region's trainee is not counted for the 南关区 caseworker
    walk_to(make_enrollment(make_program(occupations, region_id="220204"), caseworker), "paid", supervisor, caseworker)

    caseworker.region  # noqa: B018 — the session user arrives with its region loaded
    with django_assert_max_num_queries(3):
        rows, total = indicator_rows(user=caseworker, dimension="program")
    by_label = {r.label: r for r in rows}
    a, b = by_label["A班"], by_label["B班"]
    assert (a.trained, a.certified, a.employed) == (3, 2, 2)
    assert a.employment_rate == Decimal("66.67")
    assert a.average_wage == Decimal("4200.00")
    assert a.subsidy_paid == Decimal("1200.00")
    assert (b.trained, b.certified, b.employed, b.employment_rate, b.average_wage) == (1, 1, 0, Decimal("0.00"), None)
    assert (total.trained, total.employed, total.employment_rate) == (4, 2, Decimal("50.00"))

    groups = {r.key: r for r in indicator_rows(user=caseworker, dimension="target_group")[0]}
    assert groups["women_returning"].label == "生育后再就业妇女"
    assert groups["migrant_worker"].trained == 3

    province_total = indicator_rows(user=supervisor, dimension="region")[1]
    assert province_total.trained == 4  # supervisor of 长春市 does not see 吉林市 either

    table = export_table(rows, total, "program")
    assert table[0][0] == "培训项目" and table[-1][0] == "合计"
    assert "66.67" in table[1] or "66.67" in table[2]
