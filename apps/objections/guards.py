"""The one lifecycle guard for "no objection on this record is open" (a claim's 复核 waits for its objections)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.core.exceptions import ConflictError
from apps.objections.selectors import open_holds

OBJECTION_OPEN_CODE = "objection_open"


def no_open_objection(slug: str, refusal: Callable[[Any], str]) -> Callable[[Any, Any, dict], None]:
    """A guard for a record with one objection row per record (a claim): 409 `objection_open` with
    `refusal(record)` while an objection of source `slug` on it is open."""

    def guard(record, user, payload: dict) -> None:
        if open_holds(slug, record.pk):
            raise ConflictError(OBJECTION_OPEN_CODE, refusal(record))

    guard.__name__ = f"no_open_objection_{slug.replace('-', '_')}"
    return guard
