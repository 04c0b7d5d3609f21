"""The canonical rows of a disbursement file and their SHA-256: what an approval binds to.

One line per payment, in reference order, fields joined by U+001F (unit separator) and lines by "\n",
UTF-8, amounts as exact text with two decimals ("1234.50"). The raw values are hashed — the file's
formula neutralising (apps.core.exports) changes how a cell is displayed, not what is paid. The purpose
(摘要) and the batch's control total are part of the hash too, so a file cannot be re-labelled either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal

CANONICAL_FIELDS = ("reference", "payee_code", "payee_name", "bank_name", "account_number", "account_name",
                    "amount")
_UNIT = "\x1f"


def amount_text(amount: Decimal) -> str:
    return f"{amount:.2f}"


def canonical_row(values: Sequence) -> str:
    *texts, amount = values
    return _UNIT.join([*(str(text) for text in texts), amount_text(amount)])


def canonical_hash(*, purpose: str, rows: Iterable[Sequence]) -> tuple[str, int, Decimal]:
    """(sha256 hex, count, total) of rows given in CANONICAL_FIELDS order, sorted here by reference."""
    ordered = sorted(rows, key=lambda row: row[0])
    total = sum((row[-1] for row in ordered), Decimal("0.00"))
    digest = hashlib.sha256()
    digest.update(f"purpose{_UNIT}{purpose}\n".encode())
    for row in ordered:
        digest.update(canonical_row(row).encode())
        digest.update(b"\n")
    digest.update(f"control{_UNIT}{len(ordered)}{_UNIT}{amount_text(total)}\n".encode())
    return digest.hexdigest(), len(ordered), total
