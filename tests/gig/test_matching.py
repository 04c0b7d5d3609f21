"""The matching rule (apps/gig/matching.py), table-driven, with its boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from apps.gig.matching import (
    Need,
    Offer,
    evaluate,
    overlap_days,
    rank,
    shared_region_digits,
    significant_digits,
    trade_score,
)

D = date


def need(**kw) -> Need:
    base = dict(trade="bricklayer", region_code="220102", start=D(2026, 4, 6), end=D(2026, 4, 10),
                pay=Decimal("260.00"), pay_unit="day")
    return Need(**{**base, **kw})


def offer(key=1, **kw) -> Offer:
    base = dict(trades=frozenset({"bricklayer"}), region_code="220102", start=D(2026, 4, 1), end=D(2026, 4, 30),
                expected_pay=None, pay_unit="day")
    return Offer(key=key, **{**base, **kw})


@pytest.mark.parametrize("code, digits", [("220000", 2), ("220100", 4), ("220102", 6), ("220102001", 9),
                                          ("220102001001", 12)])
def test_significant_digits(code, digits):
    assert significant_digits(code) == digits


@pytest.mark.parametrize("a, b, digits", [
    ("220102001001", "220102001001", 12),   # same village
    ("220102001001", "220102001002", 9),    # same township
    ("220102001", "220102002", 6),          # same county, other township
    ("220102", "220102001001", 6),          # a county posting, a village worker
    ("220102", "220104", 4),                # same city, other county
    ("220100", "220100", 4),                # two city-level codes: same city, not "same county"
    ("220102", "220204", 2),                # other city, same province
    ("220102", "210102", 0),                # other province
])
def test_region_levels(a, b, digits):
    assert shared_region_digits(a, b) == digits == shared_region_digits(b, a)


@pytest.mark.parametrize("a, b, days", [
    ((D(2026, 4, 6), D(2026, 4, 10)), (D(2026, 4, 10), D(2026, 4, 20)), 1),  # touching: the end day is shared
    ((D(2026, 4, 6), D(2026, 4, 10)), (D(2026, 4, 11), D(2026, 4, 20)), 0),  # the day after: no overlap
    ((D(2026, 4, 6), D(2026, 4, 10)), (D(2026, 3, 1), D(2026, 4, 6)), 1),    # touching at the start
    ((D(2026, 4, 6), D(2026, 4, 10)), (D(2026, 3, 1), D(2026, 4, 5)), 0),
    ((D(2026, 4, 6), D(2026, 4, 10)), (D(2026, 4, 1), D(2026, 4, 30)), 5),   # inside
    ((D(2026, 4, 6), D(2026, 4, 6)), (D(2026, 4, 6), D(2026, 4, 6)), 1),     # one day each
])
def test_overlap_days(a, b, days):
    assert overlap_days(*a, *b) == days


@pytest.mark.parametrize("wanted, offered, score", [
    ("bricklayer", {"bricklayer"}, 2), ("bricklayer", {"carpenter", "bricklayer"}, 2),
    ("bricklayer", {"construction_helper"}, 1),  # same group (建筑)
    ("bricklayer", {"cleaner"}, 0), ("bricklayer", set(), 0), ("security", {"loader"}, 0)])
def test_trade_score(wanted, offered, score):
    assert trade_score(wanted, offered) == score


@pytest.mark.parametrize("kw, matched, reason", [
    ({}, True, "工种一致：瓦工"),
    ({"trades": frozenset({"cleaner"})}, False, "工种不符：岗位要瓦工，登记的是保洁"),
    ({"start": D(2026, 4, 11), "end": D(2026, 4, 20)}, False, "日期不重叠"),
    ({"start": D(2026, 4, 10), "end": D(2026, 4, 20)}, True, "日期重叠 1 天（2026-04-10 至 2026-04-10）"),
    ({"region_code": "220104"}, True, "区划：同市（州）"),
    ({"expected_pay": Decimal("260.00")}, True, "报酬 260.00 元/天，不低于期望 260.00 元/天"),
    ({"expected_pay": Decimal("260.01")}, True, "报酬 260.00 元/天，低于期望 260.01 元/天"),
    ({"expected_pay": Decimal("30"), "pay_unit": "hour"}, True, "期望报酬按元/小时计，岗位按元/天计，未比较"),
])
def test_evaluate_explains(kw, matched, reason):
    result = evaluate(need(), offer(**kw))
    assert result.matched is matched
    assert any(r.startswith(reason) for r in result.reasons), result.reasons


def test_rank_orders_by_trade_then_region_then_overlap_then_pay():
    offers = [
        offer(1, trades=frozenset({"construction_helper"})),            # related trade, same county
        offer(2, region_code="220104"),                                 # same trade, same city
        offer(3),                                                        # same trade, same county, 5 days
        offer(4, start=D(2026, 4, 9)),                                   # same county, 2 days
        offer(5, expected_pay=Decimal("300")),                           # same county, 5 days, pay below
        offer(6, expected_pay=Decimal("200")),                           # same county, 5 days, pay met
        offer(7, trades=frozenset({"cleaner"})),                         # no trade match: left out
        offer(8, region_code="220102001001"),                            # a village of the county: same county
    ]
    assert [m.key for m in rank(need(), offers)] == [6, 3, 8, 5, 4, 2, 1]
