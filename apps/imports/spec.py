"""Row specs: which columns a file has and how each cell becomes a value — or a Chinese reason why not.

A parser takes the cell text (already stripped, never None) and the import context, returns the value,
and raises CellError with a message a caseworker understands. An empty cell means "unknown": optional
columns give None (or the column's `empty` value), required ones give an error.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from apps.core.scoping import Scope, exclude_prefix, prefix_covers
from apps.core.validators import (
    normalize_phone,
    validate_id_number,
    validate_id_number_birth_date,
    validate_uscc,
)
from apps.imports.models import ImportBatch


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


@dataclass(frozen=True)
class Issue:
    line: int
    column: str
    value: str
    message: str


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "Counts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class Context:
    """What parsers and specs may look at: the user's scope, the known regions, per-run caches."""

    user: Any
    # The importer's scope as a code prefix: "" = everything (the server operator), None = nothing. Compare
    # codes with it only through apps.core.scoping (prefix_covers, filter_by_prefix, exclude_prefix).
    scope_prefix: Scope
    regions: set[str]
    batch: ImportBatch | None = None
    cache: dict = field(default_factory=dict)

    @property
    def batch_id(self) -> int | None:
        return self.batch.pk if self.batch is not None else None


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    parse: Callable[[str, Context], object]
    required: bool = False
    empty: object = None  # the value of an empty optional cell


@dataclass
class Row:
    line: int
    values: dict  # a column that failed to parse is absent
    valid: bool = True


@dataclass(frozen=True)
class BulkSql:
    """A kind's PostgreSQL path (apps.imports.bulk): its `check_chunk` and `write_chunk` as set-based SQL.

    The import service stages the file's cells, checks every cell and the duplicate keys in SQL, and leaves
    the parsed rows in the session's temporary table `import_rows` (one typed column per spec column, named
    as the column, plus `line`). `check` is a SELECT of (line, column, value, message) over
    `import_checked` — the rows that parsed and are their key's first occurrence, as `check_chunk` sees
    them — and may use the parameter %(scope)s (the importer's region prefix). `write(ctx)` writes every
    row of `import_rows` through the owning app's service and returns the counts; it runs only when no
    issue was found, in the same transaction."""

    check: str
    write: Callable[[Context], "Counts"]


class RowSpec:
    """One kind of import. Subclasses list the columns, the natural key, database checks per chunk and the
    bulk write per chunk (which calls the owning app's service)."""

    kind: str = ""
    # Where the imported records are listed (a URL name), linked from a succeeded batch; "" = no link.
    list_url_name: str = ""
    columns: tuple[Column, ...] = ()
    key_columns: tuple[str, ...] = ()
    # A CSV that is not UTF-8 (with or without a BOM) is read as GB18030, the superset of GBK that Excel on
    # Chinese Windows writes: every kind takes both. None = UTF-8 only, refused with advice.
    fallback_encoding: str | None = "gb18030"
    # The tables a committed import has written: their planner statistics are refreshed right after the
    # commit (apps.core.db.analyze_tables), so the list that shows the new rows is planned for them.
    written_models: tuple[type[models.Model], ...] = ()
    # The PostgreSQL path of this kind (apps.imports.bulk), None = the Python passes on every database.
    bulk_sql: BulkSql | None = None

    def key(self, values: dict) -> tuple:
        return tuple(values[name] for name in self.key_columns)

    def check_chunk(self, rows: list[Row], ctx: Context) -> list[Issue]:
        """Checks that need the database (does the employer exist, is it in my region). One query per chunk."""
        return []

    def write_chunk(self, rows: list[Row], ctx: Context) -> Counts:
        raise NotImplementedError


EXTRA_CELLS_MESSAGE = "本行有 {count} 列，多于表头的 {width} 列（是否有未加引号的逗号？）"
DUPLICATE_MESSAGE = "与第 {first_line} 行重复（{keys} 相同：{shown}），每个键只能出现一次"
MAX_VALUE_CHARS = 200  # an issue's `value` is cut to this many characters (ImportIssue.value)


def extra_cells_issue(line: int, cells: list[str], width: int) -> Issue | None:
    """A row with non-empty cells past the header's width (an unquoted comma, most often)."""
    if len(cells) > width and any(cells[width:]):
        return Issue(line, "", ",".join(cells)[:MAX_VALUE_CHARS],
                     EXTRA_CELLS_MESSAGE.format(count=len(cells), width=width))
    return None


def empty_message(column: Column) -> str:
    return f"{column.label}不能为空"


def cell_message(column: Column, reason: str) -> str:
    return f"{column.label}：{reason}"


# --- Parsers ----------------------------------------------------------------------------------------------

def text(max_length: int) -> Callable[[str, Context], str]:
    def parse(value: str, ctx: Context) -> str:
        if len(value) > max_length:
            raise CellError(f"内容过长（最多 {max_length} 个字）")
        return value
    return parse


NEGATIVE_MESSAGE = "不能为负数"
NOT_INTEGER_MESSAGE = "应为非负整数"


def non_negative_integer(value: str, ctx: Context) -> int:
    if re.fullmatch(r"-\d+", value):
        raise CellError(NEGATIVE_MESSAGE)
    if not re.fullmatch(r"\d{1,9}", value):
        raise CellError(NOT_INTEGER_MESSAGE)
    return int(value)


MONEY_PATTERN = re.compile(r"-?\d+(\.\d+)?")
AMOUNT_FORMAT_MESSAGE = "不是有效的金额（例如 1234.56，不含千分位逗号和单位）"
AMOUNT_NEGATIVE_MESSAGE = "金额不能为负数"
AMOUNT_DECIMALS_MESSAGE = "金额最多保留两位小数"
AMOUNT_TOO_LARGE_MESSAGE = "金额过大"


@dataclass(frozen=True)
class Amount:
    """Yuan (or 万元) with at most two decimals, never negative. Decimal from the text — never via float.
    A class rather than a closure so the PostgreSQL path (apps.imports.bulk) can find its SQL twin."""

    max_integer_digits: int = 12

    def __call__(self, value: str, ctx: Context) -> Decimal:
        if not MONEY_PATTERN.fullmatch(value):
            raise CellError(AMOUNT_FORMAT_MESSAGE)
        try:
            number = Decimal(value)
        except InvalidOperation as error:
            raise CellError("不是有效的金额") from error
        if number < 0:
            raise CellError(AMOUNT_NEGATIVE_MESSAGE)
        _, digits, exponent = number.as_tuple()  # an int exponent: the pattern admits finite numbers only
        # Non-zero digits past the fen, read off the digits (quantize would raise past 28 significant digits).
        if isinstance(exponent, int) and exponent < -2 and any(digits[exponent + 2:]):
            raise CellError(AMOUNT_DECIMALS_MESSAGE)
        if len(str(int(number))) > self.max_integer_digits:  # before quantize, which a 27-digit number overflows
            raise CellError(AMOUNT_TOO_LARGE_MESSAGE)
        return number.quantize(Decimal("0.01"))


def amount(max_integer_digits: int = 12) -> Amount:
    return Amount(max_integer_digits)


PERIOD_PATTERN = re.compile(r"(\d{4})-(\d{2})(?:-01)?")


PERIOD_FORMAT_MESSAGE = "所属期格式应为 YYYY-MM，例如 2025-01"
PERIOD_MONTH_MESSAGE = "所属期的月份应在 01 到 12 之间"
PERIOD_YEAR_MESSAGE = "所属期的年份超出合理范围"
PERIOD_YEARS = (1990, 2100)


def period(value: str, ctx: Context) -> date:
    """YYYY-MM (a spreadsheet date cell on the 1st of the month is accepted too) → the first day."""
    match = PERIOD_PATTERN.fullmatch(value)
    if not match:
        raise CellError(PERIOD_FORMAT_MESSAGE)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise CellError(PERIOD_MONTH_MESSAGE)
    if not PERIOD_YEARS[0] <= year <= PERIOD_YEARS[1]:
        raise CellError(PERIOD_YEAR_MESSAGE)
    return date(year, month, 1)


def iso_date(value: str, ctx: Context) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CellError("日期格式应为 YYYY-MM-DD") from error


TRUE_WORDS = {"1", "是", "y", "yes", "true", "t"}
FALSE_WORDS = {"0", "否", "n", "no", "false", "f"}


def boolean(value: str, ctx: Context) -> bool:
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise CellError("应为 是/否（或 1/0）")


def choice(choices) -> Callable[[str, Context], str]:
    """A code (enterprise) or its Chinese label (企业)."""
    by_code = {code: code for code, _ in choices}
    by_label = {str(label): code for code, label in choices}

    def parse(value: str, ctx: Context) -> str:
        found = by_code.get(value.lower()) or by_label.get(value)
        if found is None:
            allowed = "、".join(f"{code}（{label}）" for code, label in choices)
            raise CellError(f"取值无效，可选：{allowed}")
        return found
    return parse


def uscc(value: str, ctx: Context) -> str:
    try:
        return validate_uscc(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error


def id_number(value: str, ctx: Context) -> str:
    try:
        number = validate_id_number(value)
        validate_id_number_birth_date(number)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return number


def phone(value: str, ctx: Context) -> str:
    """A Chinese mobile or landline number (apps.core.validators), stored normalised: 0431-88888888."""
    try:
        return normalize_phone(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error


def region_code(value: str, ctx: Context) -> str:
    """A known GB/T 2260 code within the importing user's region."""
    if value not in ctx.regions:
        raise CellError("区划代码不存在（应为6位行政区划代码，例如 220102）")
    if not prefix_covers(ctx.scope_prefix, value):
        raise CellError(f"区划 {value} 不在您的经办范围（{ctx.scope_prefix}开头的区划）内，不能导入其他区划的记录")
    return value


def known_region(value: str, ctx: Context) -> str:
    """A known code, not scope-checked (a hukou region may be anywhere)."""
    if value not in ctx.regions:
        raise CellError("区划代码不存在（应为6位行政区划代码，例如 220102）")
    return value


def records_outside_scope(rows: list[Row], ctx: Context, *, model, key: str, noun: str) -> list[Issue]:
    """A row may not overwrite a record (found by its natural key) registered outside the importer's region."""
    same_keys = model.objects.filter(**{f"{key}__in": [row.values[key] for row in rows]})
    elsewhere = dict(exclude_prefix(same_keys, ctx.scope_prefix).values_list(key, "region_id"))
    return [Issue(row.line, key, row.values[key],
                  f"该{noun}已登记在区划 {elsewhere[row.values[key]]}，不在您的经办范围内，不能修改")
            for row in rows if row.values[key] in elsewhere]
