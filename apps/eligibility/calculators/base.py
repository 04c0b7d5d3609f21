"""The contract every calculator follows: facts + an as-of parameter snapshot in, a Result out.

Pure Python on purpose (no Django): the API, the caseworker UI, the refund batch and the
tests all call the very same functions, and a past decision can be recomputed from the
parameter versions stored with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from apps.core.money import FEN, ZERO, format_money, round_money  # noqa: F401 — one rounding rule

HUNDRED = Decimal(100)

T = TypeVar("T")
P = ParamSpec("P")


# ---------------------------------------------------------------- money and display


def format_percent(percent: Decimal) -> str:
    """A percentage as entered ('83', '5.5') shown as '83%' / '5.5%'."""
    text = format(percent.normalize(), "f")
    return f"{text}%"


def percent_of(percent: Decimal) -> Decimal:
    """Percentage parameters are stored as entered (83 means 83%); exact in Decimal."""
    return percent / HUNDRED


# ---------------------------------------------------------------- parameters


class MissingParameter(LookupError):
    def __init__(self, key: str, as_of: date):
        self.key = key
        self.as_of = as_of
        super().__init__(
            f"缺少政策参数“{key}”（适用日期 {as_of.isoformat()}）：请管理员录入该日期有效的参数值"
        )


class SchemeNotInForce(MissingParameter):
    """The date is before the first version of a parameter the rule needs: the programme did not exist yet.
    Not a configuration gap — calculators turn it into a normal "not eligible" result (`scheme_in_force`)."""

    def __init__(self, key: str, as_of: date, starts: date):
        LookupError.__init__(self, f"{as_of.isoformat()}尚无施行中的政策：参数“{key}”自{starts.isoformat()}起施行")
        self.key, self.as_of, self.starts = key, as_of, starts


class FactRefused(ValueError):
    """A fact the calculator cannot use, with the field it is about, a stable code and a Chinese message —
    so the API and the form report it against that field, as they do the type checks of `build_facts`."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.code, self.message = field, code, message


@dataclass(frozen=True)
class ParameterValue:
    """One version of one parameter, with its validity period and legal source."""

    key: str
    value: Any
    valid_from: date
    valid_to: date | None
    version: int | str  # DB id later; fixture index for now
    source: str  # "title 〔number〕 (seed file)"
    name: str = ""

    def applies_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ParameterSnapshot:
    """The parameters in force on one date (and, built by the caller, for one region)."""

    def __init__(self, as_of: date, values: Mapping[str, ParameterValue],
                 upcoming: Mapping[str, date] | None = None,
                 monthly: Mapping[str, tuple[ParameterValue | None, ...]] | None = None):
        """`upcoming`: key -> the first day of its first version, for keys whose every version starts after
        `as_of` (the programme did not exist yet on that date). `monthly`: key -> the version of each month of
        `as_of`'s year (12 entries, by the rule of `monthly_versions`), for annual amounts."""
        for key, parameter in values.items():
            # Cheap once per snapshot, and it stops a wrongly built snapshot from deciding cases.
            if parameter.key != key or not parameter.applies_on(as_of):
                raise ValueError(f"参数 {key} 版本 {parameter.version} 在 {as_of.isoformat()} 不适用")
        self.as_of = as_of
        self._values = dict(values)
        self._upcoming = {key: day for key, day in (upcoming or {}).items() if key not in self._values}
        self._monthly = dict(monthly or {})
        self._memo: dict[str, Any] = {}

    def get(self, key: str) -> ParameterValue:
        try:
            return self._values[key]
        except KeyError:
            if key in self._upcoming:
                raise SchemeNotInForce(key, self.as_of, self._upcoming[key]) from None
            raise MissingParameter(key, self.as_of) from None

    def monthly(self, key: str) -> tuple[ParameterValue | None, ...]:
        """The version of each month (January first) of `as_of`'s year; None where no version applies.

        Built by the database snapshot; a snapshot made of single values (tests, stored run versions) gives
        each value to the months its validity period touches."""
        months = self._monthly.get(key)
        if months is None:
            value = self._values.get(key)
            year = self.as_of.year
            months = tuple(value if value is not None and value.valid_from <= month_end(year, m)
                           and (value.valid_to is None or value.valid_to >= date(year, m, 1)) else None
                           for m in range(1, 13))
        if not any(months):
            self.get(key)  # raises: no scheme yet, or a missing parameter
        return months

    @property
    def upcoming(self) -> Mapping[str, date]:
        """Keys not in force yet on `as_of` -> the first day of their first version."""
        return dict(self._upcoming)

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def keys(self):
        return self._values.keys()

    def memo(self, name: str, build: Callable[[ParameterSnapshot], T]) -> T:
        """Work derived from parameters alone, done once per snapshot (batch runs call a
        calculator a million times with one snapshot)."""
        try:
            return self._memo[name]
        except KeyError:
            value = self._memo[name] = build(self)
            return value


def parse_parameter_value(value_type: str, raw: Any) -> Any:
    """JSON value of a parameter row -> Python value. Shared by the fixture loader in tests
    and, later, the Django model, so both read a row the same way."""
    if value_type in ("percentage", "decimal"):
        if isinstance(raw, float):
            raise TypeError("decimal parameters are stored as strings, never floats")
        return Decimal(str(raw))
    if value_type == "integer":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError(f"integer parameter expected, got {raw!r}")
        return raw
    if value_type == "date":
        return date.fromisoformat(raw)
    if value_type == "region_list":
        return tuple(str(code) for code in raw)
    if value_type == "table":
        return raw  # structure is the calculator's business; it compiles the table once per snapshot
    raise ValueError(f"unknown value_type {value_type!r}")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # Chinese, shown to caseworkers and in notices


@dataclass(frozen=True)
class Step:
    label: str  # Chinese
    formula: str  # with the numbers put in, e.g. "83% × 7,500.00 = 6,225.00"
    value: str


@dataclass(frozen=True)
class Result:
    calculator: str
    eligible: bool
    amount: Decimal
    reasons: tuple[Reason, ...]
    steps: tuple[Step, ...]
    parameters: tuple[ParameterValue, ...]  # exactly those used
    data: Mapping[str, Any] = field(default_factory=dict)  # extra outputs: size_class, rate, months…

    def to_dict(self) -> dict:
        return {
            "calculator": self.calculator,
            "eligible": self.eligible,
            "amount": _json_safe(self.amount),
            "reasons": [{"code": r.code, "message": r.message} for r in self.reasons],
            "steps": [{"label": s.label, "formula": s.formula, "value": s.value} for s in self.steps],
            "parameters": [
                {
                    "key": p.key,
                    "name": p.name,
                    "value": _json_safe(p.value),
                    "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                    "version": p.version,
                    "source": p.source,
                }
                for p in self.parameters
            ],
            "data": _json_safe(self.data),
        }


def no_scheme_result(calculator: str, error: SchemeNotInForce, data: Mapping[str, Any] | None = None) -> Result:
    """"Not eligible: no scheme in force on that date", with the date the scheme starts — a normal result."""
    return Result(
        calculator=calculator, eligible=False, amount=ZERO,
        reasons=(Reason("no_scheme_in_force",
                        f"{error.as_of.isoformat()}尚无施行中的政策，不符合条件（该项目自{error.starts.isoformat()}起施行）"),),
        steps=(Step("政策施行日期", f"所需政策参数“{error.key}”自{error.starts.isoformat()}起施行，"
                                    f"适用日期{error.as_of.isoformat()}早于该日", "不适用"),),
        parameters=(), data={"no_scheme_in_force": True, **(data or {})})


def scheme_in_force(calculator: str, data: Mapping[str, Any] | None = None
                    ) -> Callable[[Callable[P, Result]], Callable[P, Result]]:
    """Wrap a calculator so a date before its programme's first version gives `no_scheme_result`.

    `data` gives the keys its callers read from `Result.data` (None values) so they need no special case."""

    def wrap(calculate: Callable[P, Result]) -> Callable[P, Result]:
        @functools.wraps(calculate)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> Result:
            try:
                return calculate(*args, **kwargs)
            except SchemeNotInForce as error:
                return no_scheme_result(calculator, error, data)

        return guarded

    return wrap


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(_json_safe(v) for v in value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float):
        raise TypeError("float in a result: money and rates must be Decimal")
    return value


def require_snapshot_year(params: ParameterSnapshot, year: int) -> None:
    """Year-based rules read the parameters in force in that year; a snapshot of another
    year would silently apply the wrong figures (e.g. another year's unemployment target)."""
    if params.as_of.year != year:
        raise ValueError(f"参数快照日期 {params.as_of.isoformat()} 不在事实年度 {year} 内")


def year_end(year: int) -> date:
    return date(year, 12, 31)


def month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def month_version(candidates, year: int, month: int, in_force: Callable[[Any, date], bool]):
    """THE month rule for annual amounts: a month counts at the version in force on its first day; a month
    in which the scheme only begins (nothing in force on the 1st) counts at the first version that begins in
    that month. A version replacing another mid-month takes effect from the next month. `candidates` are
    rows or ParameterValues with valid_from; `in_force(candidate, day)` says whether it applies that day
    (the caller resolves regions)."""
    first = date(year, month, 1)
    on_first = [c for c in candidates if in_force(c, first)]
    if on_first:
        return on_first[0]
    last = month_end(year, month)
    starting = sorted((c for c in candidates if first < c.valid_from <= last and in_force(c, c.valid_from)),
                      key=lambda c: c.valid_from)
    return starting[0] if starting else None


@dataclass(frozen=True)
class Segment:
    """Consecutive months of one year paid at one version."""

    version: ParameterValue
    first_month: int
    last_month: int

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    def label(self, year: int) -> str:
        return (f"{year}年{self.first_month}月" if self.months == 1
                else f"{year}年{self.first_month}月至{self.last_month}月")


def annual_segments(params: ParameterSnapshot, key: str, months: Iterable[int]) -> list[Segment]:
    """The `months` (1–12, ascending) of the snapshot's year grouped by the version each is paid at; months
    without a version are left out (no scheme in force that month)."""
    versions = params.monthly(key)
    segments: list[Segment] = []
    for month in months:
        version = versions[month - 1]
        if version is None:
            continue
        last = segments[-1] if segments else None
        if last is not None and last.version == version and last.last_month == month - 1:
            segments[-1] = Segment(version, last.first_month, month)
        else:
            segments.append(Segment(version, month, month))
    return segments


# ---------------------------------------------------------------- per-child annual amounts paid by month


def month_index(year: int, month: int) -> int:
    """Months counted from year 0, so a span of months is a range of integers."""
    return year * 12 + month - 1


def month_index_label(index: int) -> str:
    return f"{index // 12}年{index % 12 + 1}月"


def months_under_age(year: int, start: date, birth: date, age_limit: int) -> tuple[int, int]:
    """The months of `year` a per-child annual amount is paid for, as month indexes [first, end): on or after
    the scheme's start month and the birth month, before the month of the `age_limit` birthday (a child born
    after the start gets exactly 12 × age_limit months, birth month included, birthday month excluded).
    `first >= end` when none."""
    birth_month = month_index(birth.year, birth.month)
    first = max(month_index(year, 1), month_index(start.year, start.month), birth_month)
    end = min(month_index(year + 1, 1), birth_month + 12 * age_limit)
    return first, end


def annual_amount_by_month(params: ParameterSnapshot, key: str, year: int, first: int, end: int, title: str
                           ) -> tuple[int, Decimal, tuple[ParameterValue, ...], tuple[Step, ...]]:
    """An annual amount (`key`) paid for the months [first, end) of `year`, each month at the version in force
    for it: (months, exact amount, the versions used, the steps after the count of months). A year without
    months still names the version in force."""
    year_start = month_index(year, 1)
    segments = annual_segments(params, key, range(first - year_start + 1, end - year_start + 1))
    months = sum(segment.months for segment in segments)
    parts = [segment.version.value * segment.months / 12 for segment in segments]
    exact = sum(parts, ZERO)
    amount = round_money(exact)
    used = tuple(dict.fromkeys(s.version for s in segments)) or (next(v for v in params.monthly(key) if v),)
    if len(segments) > 1:  # the amount changed during the year: one step per version, then the total
        steps = tuple(
            Step(f"{title}（{s.label(year)}，版本 {s.version.version}）",
                 f"{format_money(s.version.value)} × {s.months} ÷ 12 = {format_money(part)}", format_money(part))
            for s, part in zip(segments, parts, strict=True))
        steps += (Step(title, " + ".join(format_money(part) for part in parts) + f" = {format_money(exact)}",
                       format_money(amount)),)
    else:
        steps = (Step(title, f"{format_money(used[0].value)} × {months} ÷ 12 = {format_money(exact)}",
                      format_money(amount)),)
    return months, exact, used, steps
