"""Matching (供求撮合) as a pure function: a posting's need against a worker's offer, explained.

No database, no clock: the selectors turn rows into `Need`/`Offer` facts and call `rank`. A worker matches a
posting when both hold:

- **trade** — the worker has the posting's trade (同工种, score 2) or one of its group (相近工种, score 1;
  `models.TRADE_GROUPS`); no trade of the group is no match;
- **dates** — the worker's available days and the posting's work days share at least one day (both ranges are
  inclusive, so a range that ends on the day the other starts overlaps by one day).

The matches are ranked by trade score, then by how close the worker is (the longest common prefix of the two
GB/T 2260 codes at a level boundary: 同村 > 同乡镇 > 同区县 > 同市 > 同省 > 省外), then by the days of overlap,
then by pay (the posting pays at least what the worker expects > unknown or another unit > less), then by key.
Every match carries its reasons in Chinese: why it matched, and what is weaker about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.gig.models import TRADE_GROUP_OF, PayUnit, Trade

VERSION = "1"

# Significant digits of a region code at each level, closest first, with the label of sharing that level.
REGION_LEVELS: tuple[tuple[int, str], ...] = (
    (12, "同村（社区）"), (9, "同乡镇（街道）"), (6, "同区县"), (4, "同市（州）"), (2, "同省"))
OUTSIDE = "不在同一省"


@dataclass(frozen=True)
class Need:
    """What a posting asks for."""

    trade: str
    region_code: str
    start: date
    end: date
    pay: Decimal
    pay_unit: str


@dataclass(frozen=True)
class Offer:
    """What a worker offers. `key` identifies the row (a posting's or a worker's id)."""

    key: int
    trades: frozenset[str]
    region_code: str
    start: date
    end: date
    expected_pay: Decimal | None
    pay_unit: str


@dataclass(frozen=True)
class Match:
    key: int
    matched: bool
    trade_score: int  # 2 the trade, 1 a related trade, 0 none
    region_digits: int  # the level both share: 12, 9, 6, 4, 2 or 0
    overlap_days: int
    pay_ok: bool | None  # None: the worker named no pay, or another unit
    reasons: tuple[str, ...]  # why it matched (or, when not, why not)

    @property
    def sort_key(self) -> tuple:
        pay_rank = {True: 0, None: 1, False: 2}[self.pay_ok]
        return (-self.trade_score, -self.region_digits, -self.overlap_days, pay_rank, self.key)

    @property
    def region_label(self) -> str:
        return region_label(self.region_digits)


def significant_digits(code: str) -> int:
    """How many leading digits a code owns: 220000 → 2, 220100 → 4, 220102 → 6, a 乡镇 code 9, a 村 code 12."""
    if len(code) == 6:
        if code[2:] == "0000":
            return 2
        if code[4:] == "00":
            return 4
    return len(code)


def shared_region_digits(a: str, b: str) -> int:
    """The closest level (in significant digits) at which the two regions are the same."""
    owned = min(significant_digits(a), significant_digits(b))
    for digits, _label in REGION_LEVELS:
        if digits <= owned and a[:digits] == b[:digits]:
            return digits
    return 0


def region_label(digits: int) -> str:
    return dict(REGION_LEVELS).get(digits, OUTSIDE)


def overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    """Days both inclusive ranges share (0 when they do not meet)."""
    return max(0, (min(a_end, b_end) - max(a_start, b_start)).days + 1)


def trade_score(wanted: str, offered: Iterable[str]) -> int:
    offered = set(offered)
    if wanted in offered:
        return 2
    group = TRADE_GROUP_OF.get(wanted)
    return 1 if group is not None and any(TRADE_GROUP_OF.get(t) == group for t in offered) else 0


def _label(trade: str) -> str:
    return str(Trade(trade).label) if trade in Trade.values else trade


def _unit(unit: str) -> str:
    return str(PayUnit(unit).label) if unit in PayUnit.values else unit


def evaluate(need: Need, offer: Offer) -> Match:
    """One need against one offer: matched or not, the scores and the reasons."""
    score = trade_score(need.trade, offer.trades)
    days = overlap_days(need.start, need.end, offer.start, offer.end)
    digits = shared_region_digits(need.region_code, offer.region_code)
    refusals: list[str] = []
    reasons: list[str] = []
    if score == 2:
        reasons.append(f"工种一致：{_label(need.trade)}")
    elif score == 1:
        related = "、".join(_label(t) for t in sorted(offer.trades) if TRADE_GROUP_OF.get(t) == TRADE_GROUP_OF.get(need.trade))
        reasons.append(f"相近工种：岗位要{_label(need.trade)}，可做{related}")
    else:
        offered = "、".join(_label(t) for t in sorted(offer.trades)) or "未登记工种"
        refusals.append(f"工种不符：岗位要{_label(need.trade)}，登记的是{offered}")
    if days:
        reasons.append(f"日期重叠 {days} 天（{max(need.start, offer.start).isoformat()} 至 "
                       f"{min(need.end, offer.end).isoformat()}）")
    else:
        refusals.append(f"日期不重叠：用工 {need.start.isoformat()} 至 {need.end.isoformat()}，"
                        f"可上岗 {offer.start.isoformat()} 至 {offer.end.isoformat()}")
    reasons.append(f"区划：{region_label(digits)}")
    pay_ok: bool | None = None
    if offer.expected_pay is not None and offer.pay_unit == need.pay_unit:
        pay_ok = need.pay >= offer.expected_pay
        relation = "不低于" if pay_ok else "低于"
        reasons.append(f"报酬 {need.pay:.2f} {_unit(need.pay_unit)}，{relation}期望 {offer.expected_pay:.2f} "
                       f"{_unit(offer.pay_unit)}")
    elif offer.expected_pay is not None:
        reasons.append(f"期望报酬按{_unit(offer.pay_unit)}计，岗位按{_unit(need.pay_unit)}计，未比较")
    matched = not refusals
    return Match(key=offer.key, matched=matched, trade_score=score, region_digits=digits, overlap_days=days,
                 pay_ok=pay_ok, reasons=tuple(reasons if matched else refusals))


def rank(need: Need, offers: Iterable[Offer]) -> list[Match]:
    """The matching offers, best first (module docstring)."""
    return sorted((m for m in (evaluate(need, offer) for offer in offers) if m.matched), key=lambda m: m.sort_key)
