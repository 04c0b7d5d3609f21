"""Exact money in SQL on every backend.

PostgreSQL keeps DecimalField as `numeric`: `+`, `SUM` and comparisons are exact decimal arithmetic.
SQLite has no decimal type: Django declares the column `decimal` (NUMERIC affinity) and SQLite stores
'1234.57' as the REAL nearest to it (whole amounts as INTEGER). Comparing two stored values is still
exact (distinct decimals of at most 15 significant digits map to distinct, equally ordered doubles), but
adding them is binary-float arithmetic: 5349.19 + 2472.94 >= 7822.13 is false, and a SUM drifts.
`CAST(ROUND(x * 100) AS INTEGER)` in SQL does not repair that by construction — x is already a float.

So on SQLite money arithmetic goes through three functions installed on every connection (CoreConfig.ready):

* ``MONEY_FEN(x)`` — the stored value as an integer number of fen, recovered exactly: a REAL is read back
  to its 15 significant digits (what SQLite preserves, and what Django's own DecimalField converter does),
  which is the decimal that was written, because every money column has at most 15 digits
  (`MAX_EXACT_DIGITS`, checked by tests/decisions). Integer arithmetic on fen in SQL is then exact;
  a SUM of integers that overflowed 64 bits is an error in SQLite, never a silent float.
* ``MONEY_FROM_FEN(n)`` — an integer of fen as exact yuan text ('1234.57'), for a sum of MONEY_FEN terms.
* ``MONEY_SUM(x)`` — an aggregate that adds the fen as Python integers and returns the exact total as
  text ('1234.57'); `MoneySum` is the ORM aggregate that uses it on SQLite and plain SUM elsewhere.

A value that is not a whole number of fen raises: it cannot come from a money column, and rounding it
away would hide the bug.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from django.db import models
from django.db.backends.signals import connection_created

# SQLite keeps 15 significant decimal digits of a REAL; a money column must not need more.
MAX_EXACT_DIGITS = 15
_FIFTEEN = decimal.Context(prec=MAX_EXACT_DIGITS)


def stored_decimal(value) -> Decimal | None:
    """The decimal a money column holds, from what the database driver hands back (Decimal, int, float,
    text). A float is SQLite's REAL: its 15 significant digits are the decimal that was stored."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not money")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _FIFTEEN.create_decimal_from_float(value).normalize(_FIFTEEN)
    return Decimal(str(value))


def stored_fen(value) -> int | None:
    """The stored amount as a whole number of fen; raises ValueError if it is not one."""
    amount = stored_decimal(value)
    if amount is None:
        return None
    fen = amount.scaleb(2)
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(fen)


def fen_text(fen: int) -> str:
    """Exact yuan text with two decimals from fen: 123457 → '1234.57'."""
    return f"{Decimal(fen).scaleb(-2):.2f}"


class _MoneySumAggregate:
    """SQLite aggregate MONEY_SUM: exact total of the non-null values, as text; NULL for no values."""

    def __init__(self) -> None:
        self.total: int | None = None

    def step(self, value) -> None:
        fen = stored_fen(value)
        if fen is not None:
            self.total = fen if self.total is None else self.total + fen

    def finalize(self) -> str | None:
        return None if self.total is None else fen_text(self.total)


def install_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver (registered in CoreConfig.ready): the money functions on SQLite."""
    if connection is None or connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("MONEY_FEN", 1, stored_fen, deterministic=True)
    raw.create_function("MONEY_FROM_FEN", 1, lambda fen: None if fen is None else fen_text(fen), deterministic=True)
    raw.create_aggregate("MONEY_SUM", 1, _MoneySumAggregate)


def connect() -> None:
    connection_created.connect(install_sqlite_functions, dispatch_uid="apps.core.money_sql")


class MoneyTotalField(models.DecimalField):
    """A total that may need more than 15 significant digits (a run's or a chunk's amount, max_digits 16).

    PostgreSQL: `numeric`, as any DecimalField. SQLite: the column is TEXT, so the exact decimal text is
    kept — a REAL would keep only 15 digits. Never compared or added in SQL except through MONEY_SUM, which
    reads text exactly. Also the output field of MoneySum: its own internal type keeps SQLite's float
    converter (15 digits, made for REAL columns) off the exact text."""

    def get_internal_type(self) -> str:
        return "MoneyTotalField"

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "text"
        return connection.data_types["DecimalField"] % self.db_type_parameters(connection)

    def from_db_value(self, value, expression, connection):
        amount = stored_decimal(value)
        return None if amount is None else amount.quantize(Decimal(1).scaleb(-self.decimal_places))


class MoneySum(models.Sum):
    """Sum of a money column, exact on every backend (None when there is nothing to add, like Sum)."""

    def __init__(self, *expressions, **extra):
        extra.setdefault("output_field", MoneyTotalField(max_digits=20, decimal_places=2))
        super().__init__(*expressions, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="MONEY_SUM", **extra_context)
