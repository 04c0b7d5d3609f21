"""The PostgreSQL path of an import kind that offers one (`RowSpec.bulk_sql`): the same checks as the Python
passes in apps.imports.services, set-based, at the speed of the database.

1. The file's rows go, with their line numbers, into the session's temporary table `import_stage` by COPY
   (psycopg 3 `cursor.copy()`). A *clean* row (every cell matches its column's clean pattern, a sufficient
   condition for passing every check) is staged as its final values; any other row as written. A CSV's clean
   blocks are checked by one regular expression and COPYed as they are (the block path, `stage`); the rest of
   the file goes row by row through the reader of record (apps.imports.readers: encodings, BOM, XLSX, stripped
   cells, NUL, line numbers).
2. `import_rows` is a view: the clean rows' values, and the full parse of the other rows in SQL — regular
   expressions and casts, the twins of the parsers in apps.imports.spec (period, non_negative_integer, Amount)
   — into `import_parsed`: one typed column per spec column and its Chinese message when it does not parse. A
   column whose parser has no SQL twin (the USCC: python-stdnum's checksum) is checked in Python on its DISTINCT
   values only (verdicts kept per process), the bad or normalised ones joined back from `import_fix_<n>`.
3. Duplicate keys (a window over the key), then the kind's own checks (`BulkSql.check`: employer unknown or
   outside the importer's region), and every problem is written by one INSERT … SELECT into ImportIssue,
   ordered as the Python passes add them.
4. No problem: `BulkSql.write` — one statement writing only the new or changed rows (… ON CONFLICT … WHERE …
   IS DISTINCT FROM) — in the same transaction as everything above, which the caller holds (nothing partial on
   any error).

A file that breaks off midway (an encoding error on line 5,000, the row limit) is reported as the Python
path reports it: every row read is parsed, but the key and database checks cover only the chunks of
CHUNK_ROWS the Python path had finished when it stopped. tests/imports/test_bulk_equivalence.py runs both
paths over the same files and compares the issues, the tables and the counts.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from string import Formatter
from typing import BinaryIO

from django.db import connection

from apps.imports.models import ImportIssue
from apps.imports.readers import FileProblem
from apps.imports.spec import (
    AMOUNT_DECIMALS_MESSAGE,
    AMOUNT_FORMAT_MESSAGE,
    AMOUNT_NEGATIVE_MESSAGE,
    AMOUNT_TOO_LARGE_MESSAGE,
    DUPLICATE_MESSAGE,
    MAX_VALUE_CHARS,
    NEGATIVE_MESSAGE,
    NOT_INTEGER_MESSAGE,
    PERIOD_FORMAT_MESSAGE,
    PERIOD_MONTH_MESSAGE,
    PERIOD_YEAR_MESSAGE,
    PERIOD_YEARS,
    Amount,
    CellError,
    Column,
    Context,
    RowSpec,
    cell_message,
    empty_message,
    extra_cells_issue,
    non_negative_integer,
    period,
    uscc,
)

STAGE = "import_stage"
ROWS = "import_rows"
PARSED = "import_parsed"
DUPS = "import_dups"
CHECKED = "import_checked"
DISTINCT_FETCH = 10_000  # distinct values per round of Python checks
PROGRESS_EVERY = 100_000


def execute(cursor, statement: str) -> None:
    """Run generated SQL: always with a parameter mapping, so the %% of `literal` reads as one %."""
    cursor.execute(statement, {"_": None})


def literal(value: str) -> str:
    """A constant as an SQL string literal (standard_conforming_strings; % doubled for psycopg's placeholders)."""
    return "'" + value.replace("'", "''").replace("%", "%%") + "'"


def message_sql(template: str, **expressions: str) -> str:
    """A message template of apps.imports.spec (`"与第 {first_line} 行重复…"`) as an SQL concatenation whose fields are
    SQL expressions: the text lives once, in the template."""
    parts = []
    for text, field, _, _ in Formatter().parse(template):
        if text:
            parts.append(literal(text))
        if field is not None:
            parts.append(f"({expressions[field]})::text")
    return " || ".join(parts)


def _digits(text: str) -> str:
    """`text` (never empty here) is ASCII digits only: what [0-9]+ says, after the file's other digits became ASCII."""
    return f"translate({text}, '0123456789', '') = ''"


def _amount_format(t: str) -> str:
    unsigned = f"(CASE WHEN left({t}, 1) = '-' THEN substr({t}, 2) ELSE {t} END)"
    return (f"{unsigned} <> '' AND translate({unsigned}, '0123456789', '') IN ('', '.') "
            f"AND left({unsigned}, 1) <> '.' AND right({unsigned}, 1) <> '.'")


def _years_pattern(first: int, last: int) -> str:
    """A regular expression for the four-digit years first..last (1990..2100 → 199[0-9]|20[0-9][0-9]|2100)."""
    parts = []
    year = first
    while year <= last:
        for width in (1000, 100, 10, 1):  # the largest aligned block starting at `year` that fits
            if year % width == 0 and year + width - 1 <= last:
                break
        digits = len(str(width)) - 1
        parts.append(str(year)[:4 - digits] + "[0-9]" * digits)
        year += width
    return "|".join(parts)


@dataclass(frozen=True)
class SqlParser:
    """The SQL twin of a parser, in three steps, so that a cell is matched and cast once:

    `matches(t)` — the text `t` has the format of the Python parser's regular expression (written with
    translate/substr/length, several times cheaper in PostgreSQL than `~`); `bad_format(t)` — the reason when not;
    `cast(t)` — the matched text as the value checks start from; `checks(n)` — the reason the cast value `n`
    is refused, NULL when it is not; `value(n)` — the final value. Reasons come without the column label.
    `shown(v)` is str() of the Python value."""

    type: str
    matches: Callable[[str], str]
    bad_format: Callable[[str], str]
    cast: Callable[[str], str]
    checks: Callable[[str], str]
    value: Callable[[str], str]
    shown: Callable[[str], str] = lambda v: f"{v}::text"
    # The clean case, decided while staging (apps.imports.bulk.stage): `clean` is a regular expression (ASCII
    # digits only) whose every match parses and passes every check — a sufficient condition, never a necessary
    # one. A clean cell is read by the typed column's input function as it stands or, `generated`, staged as text
    # and turned into the value by `value(text)` in a stored generated column. A cell that does not match takes
    # the full parse above; the two always agree (tests/imports/test_bulk_equivalence.py).
    clean: str = "(?!)"
    generated: bool = False


PERIOD_SQL = SqlParser(
    "date",
    lambda t: (f"(length({t}) = 7 OR length({t}) = 10 AND substr({t}, 8) = '-01') AND substr({t}, 5, 1) = '-' "
               f"AND {_digits(f'substr({t}, 1, 4) || substr({t}, 6, 2)')}"),  # (\d{4})-(\\d{2})(?:-01)?
    lambda t: literal(PERIOD_FORMAT_MESSAGE),
    lambda t: t,
    lambda n: (f"CASE WHEN substr({n}, 6, 2)::int NOT BETWEEN 1 AND 12 THEN {literal(PERIOD_MONTH_MESSAGE)} "
               f"WHEN substr({n}, 1, 4)::int NOT BETWEEN {PERIOD_YEARS[0]} AND {PERIOD_YEARS[1]} "
               f"THEN {literal(PERIOD_YEAR_MESSAGE)} END"),
    lambda n: f"make_date(substr({n}, 1, 4)::int, substr({n}, 6, 2)::int, 1)",
    lambda v: f"to_char({v}, 'YYYY-MM-DD')",
    clean=f"(?:{_years_pattern(*PERIOD_YEARS)})-(?:0[1-9]|1[0-2])(?:-01)?",
    generated=True,
)
INTEGER_SQL = SqlParser(
    "integer",
    lambda t: f"length({t}) <= 9 AND {_digits(t)}",  # \d{1,9}
    lambda t: f"CASE WHEN left({t}, 1) = '-' AND length({t}) > 1 AND {_digits(f'substr({t}, 2)')} THEN {literal(NEGATIVE_MESSAGE)} ELSE {literal(NOT_INTEGER_MESSAGE)} END",
    lambda t: f"{t}::integer",
    lambda n: "NULL::text",
    lambda n: n,
    clean="[0-9]{1,9}",
)


def amount_sql(parser: Amount) -> SqlParser:
    return SqlParser(
        "numeric",
        _amount_format,  # -?\d+(\.\d+)?
        lambda t: literal(AMOUNT_FORMAT_MESSAGE),
        lambda t: f"{t}::numeric",
        lambda n: (f"CASE WHEN {n} < 0 THEN {literal(AMOUNT_NEGATIVE_MESSAGE)} "
                   f"WHEN {n} <> round({n}, 2) THEN {literal(AMOUNT_DECIMALS_MESSAGE)} "
                   f"WHEN {n} >= 1e{parser.max_integer_digits} THEN {literal(AMOUNT_TOO_LARGE_MESSAGE)} END"),
        lambda n: f"round({n}, 2)",
        clean=f"[0-9]{{1,{parser.max_integer_digits}}}(?:\\.[0-9]{{1,2}})?",
    )


# Parsers checked in Python on the file's distinct values (their text result joined back): no SQL twin.
DISTINCT_IN_PYTHON: tuple[Callable, ...] = (uscc,)


def sql_parser(column: Column) -> SqlParser | None:
    """The column's SQL twin; None when it is checked in Python on distinct values. ValueError: neither."""
    if column.parse is period:
        return PERIOD_SQL
    if column.parse is non_negative_integer:
        return INTEGER_SQL
    if isinstance(column.parse, Amount):
        return amount_sql(column.parse)
    if column.parse in DISTINCT_IN_PYTHON:
        return None
    raise ValueError(f"column {column.name}: its parser has no SQL twin for the PostgreSQL import path")


def _empty_sql(column: Column, type_: str) -> str:
    if column.empty is None:
        return f"NULL::{type_}"
    if isinstance(column.empty, bool):
        return "true" if column.empty else "false"
    if isinstance(column.empty, int | Decimal):
        return f"{column.empty}::{type_}"
    return f"{literal(str(column.empty))}::{type_}"


@cache
def _digits_to_ascii() -> dict[int, str]:
    """Every Unicode decimal digit (category Nd) → its ASCII digit. Python's `\\d` and int()/Decimal() take them
    (２０２５-０１ is a period there); PostgreSQL's `[0-9]` and casts do not — so such a cell is handed to SQL
    translated, and its issue still shows what the file says."""
    return {code: str(unicodedata.decimal(chr(code))) for code in range(0x80, 0x110000)
            if unicodedata.category(chr(code)) == "Nd"}


def _translated(values: list[str | None], in_sql: list[int]) -> list[str | None] | None:
    """The SQL-parsed cells with their Unicode digits in ASCII (None where nothing changed), or None."""
    table = _digits_to_ascii()
    alt: list[str | None] = [None] * len(values)
    for index in in_sql:
        value = values[index]
        if value is not None and (changed := value.translate(table)) != value:
            alt[index] = changed
    return alt if any(item is not None for item in alt) else None


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_BLOCK = 1000  # rows per write to the COPY stream (the row-by-row path)
FAST_BLOCK = 1 << 20  # bytes read at a time by the block path
SEQUENCE = "import_seq"


def _copy_text(value: str | None) -> str:
    """A value as a field of COPY's text format with NULL '': an empty cell is NULL, as the cells are staged."""
    return value.translate(_COPY_ESCAPES) if value else ""


# A cell checked in Python on its distinct values, in a clean row: any text without a tab, line break or
# backslash (row by row); in the block path also without a space, control character, quote or comma — and not
# longer than the csv module's field limit — so that the csv module and str.strip would read it as it stands.
_PYTHON_CELL = "[^\t\n\r\\\\]"
_PYTHON_CELL_RAW = '[^\\x00-\\x20",\\\\\\x7f]'


@dataclass(frozen=True)
class FastCsv:
    """A CSV whose data lines the block path may read itself (see `stage`): `start` is the byte after the
    header's line (the header is the file's first line); `reread()` reads the file again from its beginning with
    the same reader as ever (readers.iter_rows), past the header."""

    handle: BinaryIO
    start: int
    reread: Callable[[], Iterator[tuple[int, list[str]]]]


@dataclass(frozen=True)
class _Layout:
    """The staging table of a spec. Per column its clean input `i<i>`: the cell as text for a column checked in
    Python on distinct values (`s<i>`) and for a `generated` parser (`p<i>`, whose value `s<i>` is generated), else
    the typed value itself (`s<i>`) — filled for the clean rows only, NULL for an empty optional cell (the view
    supplies its `empty`); then `clean`, the extra-cells issue, and for the SQL-parsed columns the cell as written
    (`c<i>`, the rows that are not clean) and with ASCII digits (`a<i>`, only when that differs)."""

    parsers: list[SqlParser | None]
    in_sql: list[int]
    clean: re.Pattern  # a row's cells in spec order joined by tabs

    def input(self, index: int) -> str:
        parser = self.parsers[index]
        return f"p{index}" if parser is not None and parser.generated else f"s{index}"

    def columns_sql(self) -> str:
        columns = []
        for index, parser in enumerate(self.parsers):
            if parser is None:
                columns.append(f"s{index} text")
            elif parser.generated:
                columns.append(f"p{index} text, s{index} {parser.type} GENERATED ALWAYS AS ({parser.value(f'p{index}')}) "
                               "STORED")
            else:
                columns.append(f"s{index} {parser.type}")
        return ", ".join(columns)

    @property
    def copy_columns(self) -> str:
        inputs = [self.input(index) for index in range(len(self.parsers))]
        raw = [f"c{index}, a{index}" for index in self.in_sql]
        return ", ".join(["seq", "line", "clean", *inputs, "extra_value", "extra_message", *raw])

    @property
    def tail(self) -> str:
        """The NULL fields after a clean row's inputs: extra_value, extra_message, c<i> and a<i>."""
        return "\t" * (2 + 2 * len(self.in_sql))


def _layout(spec: RowSpec) -> _Layout:
    parsers = [sql_parser(column) for column in spec.columns]
    fields = []
    for column, parser in zip(spec.columns, parsers, strict=True):
        if parser is None:
            fields.append(_PYTHON_CELL + ("+" if column.required else "*"))
        else:
            fields.append(f"(?:{parser.clean})" if column.required else f"(?:{parser.clean})?")
    return _Layout(parsers, [index for index, parser in enumerate(parsers) if parser is not None],
                   re.compile("\t".join(fields)))


def _block_line(spec: RowSpec, layout: _Layout, positions: dict[str, int], width: int) -> tuple[str, list[str]]:
    """The block path's regular expression for one clean line of the file as written (its columns in the file's
    order, commas, no line end) and the staging columns its fields go to, in the file's order (`x<n>` for a column
    the header leaves unnamed: read and ignored, as the Python path ignores it)."""
    by_position = {positions[column.name]: index for index, column in enumerate(spec.columns)}
    fields, targets = [], []
    for position in range(width):
        index = by_position.get(position)
        if index is None:
            fields.append('[^,"\\n\\r\\x00]*')
            targets.append(f"x{position}")
            continue
        column, parser = spec.columns[index], layout.parsers[index]
        if parser is None:
            fields.append(f"{_PYTHON_CELL_RAW}{{{1 if column.required else 0},1000}}")
        else:
            fields.append(f"(?:{parser.clean})" if column.required else f"(?:{parser.clean})?")
        targets.append(layout.input(index))
    return ",".join(fields), targets


@dataclass
class Staged:
    rows: int  # data rows read (blank rows skipped), as the Python path counts them
    problem: FileProblem | None  # the file broke off (or passed the row limit) after `rows` rows


def stage(spec: RowSpec, rows: Iterator[tuple[int, list[str]]], positions: dict[str, int], width: int, *,
          max_rows: int | None, rows_problem: str, progress: Callable[[int], None],
          fast: FastCsv | None = None) -> Staged:
    """COPY the data rows into `import_stage` (created here, dropped at the end of the import).

    A row is *clean* when it has no extra cells and its cells, joined by tabs, match the layout's regular
    expression: its SQL-parsed cells then go in as their final values (typed columns) and only the
    Python-checked ones stay text. Any other row is staged as written, for the full SQL parse.

    `fast` (a CSV whose header is its first line): the block path reads the data lines a megabyte at a time and,
    while every line of a block is a clean row as written (ASCII, no quote, no space around a cell, exactly the
    header's width, one line end throughout), checks the block with one regular expression and COPYs its bytes
    as they are (FORMAT csv) — no Python per row. Such rows get their seq from a sequence and their line number
    in the view (seq + 1: every line so far was one row). At the first block that is not all clean the rest of
    the file, from that block's first line, goes row by row through the csv reader (`rows` is not used then;
    readers.iter_csv_from numbers the lines as iter_rows would)."""
    layout = _layout(spec)
    order = [positions[column.name] for column in spec.columns]
    unnamed = "".join(f", x{position} text" for position in range(width) if position not in order)
    raw_sql = "".join(f", c{index} text, a{index} text" for index in layout.in_sql)
    drop(spec)
    with connection.cursor() as cursor:
        # The import's statements each scan the whole file once: JIT compiling them costs more (~0.9 s a
        # statement, measured on a million rows) than it saves. For the caller's transaction only.
        execute(cursor, "SET LOCAL jit = off")
        execute(cursor, f"CREATE TEMP SEQUENCE {SEQUENCE}")
        execute(cursor, f"CREATE TEMP TABLE {STAGE} (seq integer DEFAULT nextval('{SEQUENCE}'), line integer, "
                        f"clean boolean DEFAULT true, {layout.columns_sql()}, extra_value text, extra_message text"
                        f"{raw_sql}{unnamed})")
    count = 0
    raw = connection.connection  # psycopg 3: the Django connection's own, in the caller's transaction
    problem: FileProblem | None = None
    try:
        if fast is not None:
            count, rows, problem = _stage_blocks(raw, spec, layout, positions, width, fast, max_rows, progress, rows)
        if problem is None:
            count, problem = _stage_rows(raw, layout, rows, order, width, count, max_rows, rows_problem, progress)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # a reader stopped at the row limit: its decoder lets go of the handle now, not at GC
    with connection.cursor() as cursor:
        execute(cursor, f"ANALYZE {STAGE}")
    progress(count)
    return Staged(count, problem)


def _stage_rows(raw, layout: _Layout, rows: Iterator[tuple[int, list[str]]], order: list[int], width: int,
                count: int, max_rows: int | None, rows_problem: str,
                progress: Callable[[int], None]) -> tuple[int, FileProblem | None]:
    """The row-by-row path of `stage`, after `count` rows: COPY text lines, a thousand per write. Returns the rows
    staged in all and the problem the file broke off with (None: read to the end)."""
    problem = None
    clean_tail = layout.tail + "\n"
    fullmatch, in_sql = layout.clean.fullmatch, layout.in_sql
    sql_slots = set(in_sql)
    block: list[str] = []
    with raw.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({layout.copy_columns}) FROM STDIN (NULL '')") as copy:
        try:
            for line, cells in rows:
                if not any(cells):
                    continue  # blank lines (and spreadsheet rows that only carry formatting)
                if max_rows is not None and count >= max_rows:
                    raise FileProblem(rows_problem)
                count += 1
                if len(cells) >= width:
                    texts = [cells[index] for index in order]
                else:
                    texts = [cells[index] if index < len(cells) else "" for index in order]
                extra = extra_cells_issue(line, cells, width) if len(cells) > width else None
                if extra is None and fullmatch("\t".join(texts)):
                    block.append(f"{count}\t{line}\tt\t{chr(9).join(texts)}{clean_tail}")
                else:
                    block.append(_unclean_line(count, line, texts, extra, in_sql, sql_slots))
                if len(block) >= COPY_BLOCK:
                    copy.write("".join(block))
                    block = []
                if count % PROGRESS_EVERY == 0:
                    progress(count)
        except FileProblem as error:
            problem = error
        finally:
            if block:
                copy.write("".join(block))
    return count, problem


def _stage_blocks(raw, spec: RowSpec, layout: _Layout, positions: dict[str, int], width: int, fast: FastCsv,
                  max_rows: int | None, progress: Callable[[int], None], rows: Iterator[tuple[int, list[str]]]
                  ) -> tuple[int, Iterator[tuple[int, list[str]]], FileProblem | None]:
    """The block path of `stage`: the rows staged, the rows for the rest of the file (none when it was read to the
    end) and the problem the file broke off with while the staged rows were read again."""
    line_pattern, targets = _block_line(spec, layout, positions, width)
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # the header's reader: the block path reads the handle itself from here
    handle = fast.handle
    handle.seek(fast.start)
    count, carry, ending = 0, b"", b""
    patterns = {b"\n": re.compile(f"(?:{line_pattern}\n)*".encode()),
                b"\r\n": re.compile(f"(?:{line_pattern}\r\n)*".encode())}
    with raw.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({', '.join(targets)}) FROM STDIN (FORMAT csv)") as copy:
        while True:
            data = handle.read(FAST_BLOCK)
            final = not data
            data = carry + data
            cut = len(data) if final else data.rfind(b"\n") + 1
            if not cut:
                if final:
                    return count, iter(()), None
                if len(data) > 2 * FAST_BLOCK:
                    break  # no line end in two megabytes: not a file of short clean lines
                carry = data
                continue
            chunk, carry = data[:cut], data[cut:]
            ending = ending or (b"\r\n" if chunk.endswith(b"\r\n") else b"\n")
            checked = chunk if chunk.endswith(b"\n") else chunk + ending  # the last line, without its end
            lines = checked.count(b"\n")
            if (not checked.isascii() or (max_rows is not None and count + lines > max_rows)
                    or patterns[ending].fullmatch(checked) is None):
                break
            copy.write(checked)
            count += lines
            progress(count)
            if final:
                return count, iter(()), None
    # The rest goes row by row, read by the reader of record from the file's beginning (so that an encoding error
    # is met, and numbered, exactly where it always is): past the header and the rows staged already. An error
    # met while passing these means the reader stops before their end: the rows it had not reached are unstaged.
    rest = fast.reread()
    passed = 0
    try:
        for _ in range(count):
            next(rest)
            passed += 1
    except FileProblem as problem:
        with connection.cursor() as cursor:
            execute(cursor, f"DELETE FROM {STAGE} WHERE seq > {passed}")
        return passed, rest, problem
    return count, rest, None


def _unclean_line(count: int, line: int, texts: list[str], extra, in_sql: list[int], sql_slots: set[int]) -> str:
    """A row for the full SQL parse: the cells as written (and with ASCII digits where the file has others)."""
    values: list[str | None] = [text or None for text in texts]
    alt = None
    if not "".join(values[index] or "" for index in in_sql).isascii():
        alt = _translated(values, in_sql)
    fields = [str(count), str(line), "f"]
    fields += ["" if index in sql_slots else _copy_text(value) for index, value in enumerate(values)]
    fields += [_copy_text(extra.value if extra else None), _copy_text(extra.message if extra else None)]
    for index in in_sql:
        fields += [_copy_text(values[index]), _copy_text(alt[index] if alt else None)]
    return "\t".join(fields) + "\n"


# Verdicts of the parsers that depend on the cell alone (python-stdnum's USCC check), kept per process: a worker
# that imports the same employers' files month after month checks each code once. Bounded; emptied when full.
CONTEXT_FREE: tuple[Callable, ...] = (uscc,)
VERDICTS_MAX = 200_000
_verdicts: dict[tuple[Callable, str], tuple[str | None, str | None]] = {}


def _verdict(column: Column, text: str, ctx: Context) -> tuple[str | None, str | None]:
    """(the parsed value as text, None) or (None, the reason without the column label) — from the parser itself."""
    key = (column.parse, text)
    if column.parse in CONTEXT_FREE and (known := _verdicts.get(key)) is not None:
        return known
    try:
        verdict: tuple[str | None, str | None] = (str(column.parse(text, ctx)), None)
    except CellError as error:
        verdict = (None, error.message)
    if column.parse in CONTEXT_FREE:
        if len(_verdicts) >= VERDICTS_MAX:
            _verdicts.clear()
        _verdicts[key] = verdict
    return verdict


def _check_distinct(spec: RowSpec, ctx: Context) -> None:
    """Columns without an SQL twin: their parser runs once per distinct value; the values it refuses (with the
    message) or rewrites (the compact, upper-case USCC) go to `import_fix_<n>`."""
    for index, column in enumerate(spec.columns):
        if sql_parser(column) is not None:
            continue
        table = f"import_fix_{index}"
        with connection.cursor() as cursor:
            execute(cursor, f"CREATE TEMP TABLE {table} (raw text PRIMARY KEY, value text, error text)")
        raw = connection.connection
        with raw.cursor(name=f"import_distinct_{index}") as values:
            values.itersize = DISTINCT_FETCH
            values.execute(f"SELECT DISTINCT s{index} FROM {STAGE} WHERE s{index} IS NOT NULL")
            while batch := values.fetchmany(DISTINCT_FETCH):
                fixes: list[tuple[str, str | None, str | None]] = []
                for (text,) in batch:
                    value, reason = _verdict(column, text, ctx)
                    if reason is not None:
                        fixes.append((text, None, cell_message(column, reason)))
                    elif value != text:
                        fixes.append((text, value, None))
                if fixes:
                    with raw.cursor() as cursor, cursor.copy(f"COPY {table} (raw, value, error) FROM STDIN") as copy:
                        for fix in fixes:
                            copy.write_row(fix)
        with connection.cursor() as cursor:
            execute(cursor, f"ANALYZE {table}")


def _parse_rows(spec: RowSpec) -> None:
    """`import_rows`, a view: per spec column its typed value (named as the column; the column's `empty` for an
    empty cell, NULL when it does not parse) and `e_<name>`, its message; `ok` = the row has no problem, `key_ok` =
    every key cell parsed (or is empty: the Python path keys such a row on None, too).

    The clean rows (see `stage`) carry their values already; only their Python-checked cells are joined to
    `import_fix_<n>`. The other rows are parsed in full into `import_parsed`: levels, each a subquery kept by
    OFFSET 0 (so no expression is evaluated twice): the cells' texts; each cell cast once where it has its format
    (else NULL); the messages; the values."""
    texts, casts, errors, values, joins = [], [], [], [], []
    clean_values, clean_ok, clean_key_ok = [], ["true"], []
    for index, column in enumerate(spec.columns):
        parser = sql_parser(column)
        cell, t, n = f"c{index}", f"t{index}", f"n{index}"
        empty = literal(empty_message(column)) if column.required else "NULL"
        if parser is None:
            joins.append(f"LEFT JOIN import_fix_{index} f{index} ON f{index}.raw = s.s{index}")
            texts.append(f"s.s{index} AS {cell}, COALESCE(f{index}.value, s.s{index}) AS {t}, f{index}.error AS x{index}")
            casts.append(f"{cell}, {t}, x{index}, {t} AS {n}")
            errors.append(f"{cell}, {t}, {n}, CASE WHEN {cell} IS NULL THEN {empty} ELSE x{index} END AS e{index}")
            value, type_ = n, "text"
            # A clean row's required cell is never empty (the clean pattern says so): then the plain form, which
            # the planner estimates from the join (the CASE it would guess at 0.5 %, and plan a million rows badly).
            clean_error = (f"f{index}.error" if column.required
                           else f"CASE WHEN s.s{index} IS NULL THEN {empty} ELSE f{index}.error END")
            clean_values.append(f"CASE WHEN s.s{index} IS NULL THEN {_empty_sql(column, type_)} "
                                f"WHEN f{index}.error IS NULL THEN COALESCE(f{index}.value, s.s{index}) END "
                                f"AS {column.name}, {clean_error} AS e_{column.name}")
            clean_ok.append(f"{clean_error} IS NULL" if column.required else f"({clean_error}) IS NULL")
            if column.name in spec.key_columns:
                clean_key_ok.append(f"(f{index}.error IS NULL OR s.s{index} IS NULL)")
        else:
            label = literal(cell_message(column, ""))
            texts.append(f"s.{cell}, COALESCE(s.a{index}, s.{cell}) AS {t}")
            casts.append(f"{cell}, {t}, CASE WHEN {t} IS NOT NULL AND {parser.matches(t)} "
                         f"THEN {parser.cast(t)} END AS {n}")
            errors.append(f"{cell}, {t}, {n}, CASE WHEN {cell} IS NULL THEN {empty} "
                          f"WHEN {n} IS NULL THEN {label} || ({parser.bad_format(t)}) "
                          f"ELSE {label} || ({parser.checks(n)}) END AS e{index}")
            value, type_ = parser.value(n), parser.type
            clean_value = f"s.s{index}" if column.required else f"COALESCE(s.s{index}, {_empty_sql(column, parser.type)})"
            clean_values.append(f"{clean_value} AS {column.name}, NULL::text AS e_{column.name}")
        values.append(f"CASE WHEN {t} IS NULL THEN {_empty_sql(column, type_)} WHEN e{index} IS NULL "
                      f"THEN {value} END AS {column.name}, e{index} AS e_{column.name}")
    names = [column.name for column in spec.columns]
    ok = " AND ".join(["extra_message IS NULL", *(f"e{names.index(name)} IS NULL" for name in names)])
    key_ok = " AND ".join(f"(e{names.index(name)} IS NULL OR t{names.index(name)} IS NULL)"
                          for name in spec.key_columns)
    level1 = (f"SELECT s.seq, s.line, s.extra_message, {', '.join(texts)} FROM {STAGE} s {' '.join(joins)} "
              "WHERE NOT s.clean")
    level3 = f"SELECT seq, line, extra_message, {', '.join(casts)} FROM ({level1}) l1 OFFSET 0"
    level4 = f"SELECT seq, line, extra_message, {', '.join(errors)} FROM ({level3}) l3 OFFSET 0"
    clean = (f"SELECT s.seq, COALESCE(s.line, s.seq + 1) AS line, {' AND '.join(clean_ok)} AS ok, {' AND '.join(clean_key_ok) or 'true'} AS key_ok, "
             f"{', '.join(clean_values)} FROM {STAGE} s {' '.join(joins)} WHERE s.clean")
    with connection.cursor() as cursor:
        execute(cursor, f"CREATE TEMP TABLE {PARSED} AS SELECT seq, line, {ok} AS ok, {key_ok} AS key_ok, "
                        f"{', '.join(values)} FROM ({level4}) l4")
        execute(cursor, f"ANALYZE {PARSED}")
        execute(cursor, f"CREATE TEMP VIEW {ROWS} AS {clean} UNION ALL SELECT * FROM {PARSED}")


def _duplicates(spec: RowSpec, cutoff: int) -> None:
    """`import_dups`: the rows whose key an earlier row (among the checked ones) has, with that row's line."""
    keys = ", ".join(spec.key_columns)
    shown_parts = []
    for name in spec.key_columns:
        column = next(column for column in spec.columns if column.name == name)
        parser = sql_parser(column)
        shown = parser.shown(name) if parser is not None else name
        shown_parts.append(f"COALESCE({shown}, 'None')")  # str(None): an empty key cell, as the Python path shows it
    shown_sql = " || ' / ' || ".join(shown_parts)
    scope = f"key_ok AND seq <= {cutoff}"
    with connection.cursor() as cursor:
        execute(cursor, f"CREATE TEMP TABLE {DUPS} (seq integer PRIMARY KEY, line integer, first_line integer, "
                       "shown text)")
        execute(cursor, f"SELECT 1 FROM {ROWS} WHERE {scope} GROUP BY {keys} HAVING count(*) > 1 LIMIT 1")
        if cursor.fetchone() is None:
            return  # the common case: one hash aggregate, no sort
        execute(cursor, f"INSERT INTO {DUPS} SELECT seq, line, first_line, shown FROM ("
                       f"SELECT seq, line, first_value(line) OVER w AS first_line, row_number() OVER w AS n, "
                       f"{shown_sql} AS shown FROM {ROWS} WHERE {scope} "
                       f"WINDOW w AS (PARTITION BY {keys} ORDER BY seq)) d WHERE n > 1")


def check(spec: RowSpec, ctx: Context, staged: Staged, chunk_rows: int) -> int:
    """Every problem of the staged rows into ImportIssue (one INSERT … SELECT); the number written."""
    assert spec.bulk_sql is not None
    # A file that broke off: the Python path had checked keys and the database for its finished chunks only.
    cutoff = staged.rows if staged.problem is None else staged.rows // chunk_rows * chunk_rows
    _check_distinct(spec, ctx)
    _parse_rows(spec)
    _duplicates(spec, cutoff)
    with connection.cursor() as cursor:
        execute(cursor, f"CREATE TEMP VIEW {CHECKED} AS SELECT r.* FROM {ROWS} r WHERE r.ok AND r.seq <= {cutoff} "
                       f"AND NOT EXISTS (SELECT 1 FROM {DUPS} d WHERE d.seq = r.seq)")
    cells = ", ".join(
        f"({index + 1}, {literal(column.name)}, COALESCE(s.{'s' if sql_parser(column) is None else 'c'}{index}, ''), "
        f"r.e_{column.name})" for index, column in enumerate(spec.columns))
    dup_message = message_sql(DUPLICATE_MESSAGE, first_line="d.first_line", keys=literal("+".join(spec.key_columns)),
                              shown="d.shown")
    issues = (
        f"SELECT r.line, v.ord, r.seq, v.col, v.val, v.msg FROM {ROWS} r JOIN {STAGE} s ON s.seq = r.seq "
        f"CROSS JOIN LATERAL (VALUES (0, '', s.extra_value, s.extra_message), {cells}) v(ord, col, val, msg) "
        f"WHERE NOT r.ok AND v.msg IS NOT NULL "
        f"UNION ALL SELECT d.line, 100, d.seq, {literal(spec.key_columns[0])}, d.shown, {dup_message} FROM {DUPS} d "
        f"UNION ALL SELECT c.line, 200, 0, c.col, c.val, c.msg FROM ({spec.bulk_sql.check}) c(line, col, val, msg)"
    )
    table = ImportIssue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO {table} (batch_id, line, "column", value, message) '
                       f"SELECT %(batch)s, i.line, i.col, left(COALESCE(i.val, ''), {MAX_VALUE_CHARS}), "
                       f"left(i.msg, 300) FROM ({issues}) i ORDER BY i.line, i.ord, i.seq",
                       {"batch": ctx.batch_id, "scope": ctx.scope_prefix})
        return cursor.rowcount


def drop(spec: RowSpec) -> None:
    """The session's temporary tables of an import (a test's transaction, or a pooled session, outlives it)."""
    fixes = "".join(f", import_fix_{index}" for index in range(len(spec.columns)))
    with connection.cursor() as cursor:
        execute(cursor, f"DROP VIEW IF EXISTS {CHECKED}, {ROWS}")
        execute(cursor, f"DROP TABLE IF EXISTS {STAGE}, {PARSED}, {DUPS}{fixes}")
        execute(cursor, f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
