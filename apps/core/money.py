"""Money is Decimal yuan; rounding happens once, at the end, half-up to the fen."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Every money column: DecimalField(_("…"), **MONEY_FIELD) — up to 999,999,999,999.99 yuan.
MONEY_FIELD: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


def round_money(value: Decimal | int) -> Decimal:
    """Half-up to the fen. Called once, on the final amount — never on intermediate values."""
    if not isinstance(value, Decimal | int):  # a float here is a bug upstream, not something to round away
        raise TypeError(f"money must be Decimal, not {type(value).__name__}")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | None) -> str:
    """'12,345.60' — for steps, notices and exports; the value itself keeps every digit."""
    if value is None:
        return ""
    return f"{round_money(value):,.2f}"
