"""The programmes whose published results may be objected to register here (from their AppConfig.ready()).

Like apps.payments.sources: objections knows no programme. A source answers, for one row of one of its
records, what is being objected to (`row`: the current result, its label and region, the items that may be
disputed — explanation steps and facts by their Chinese labels — and the objection window), which facts a
caseworker may correct, and how an upheld objection recomputes the row from the corrected facts (`recompute`:
a new version of the result, returning its id). Refund runs are the first source (apps/refunds/objections.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apps.core.exceptions import NotFoundError


@dataclass(frozen=True)
class CorrectableFact:
    name: str
    label: str
    kind: str  # integer | decimal | boolean | choice
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ObjectionRow:
    """The one result an objection cites, as it stands now (its current version)."""

    row_key: str
    result_id: int
    subject_name: str
    subject_code: str
    region_code: str
    record_label: str
    url: str  # the result's page
    record_url: str
    # (key, Chinese label) of what may be disputed: the explanation's steps and the stored facts.
    items: tuple[tuple[str, str], ...]
    window_opens: date | None  # None: not published
    window_closes: date | None  # the last day an objection may be lodged
    facts: dict[str, Any] = field(default_factory=dict)  # the current values of the correctable facts


@dataclass(frozen=True)
class ObjectionSource:
    slug: str  # "refund-run"
    label: str  # "稳岗返还"
    row: Callable[[int, str], ObjectionRow | None]
    correctable: Callable[[], list[CorrectableFact]]
    # recompute(record_id, row_key, corrected facts, user, objection) → the new result's id; raises
    # ApplicationError (field errors) for values the calculator would refuse.
    recompute: Callable[[int, str, dict, Any, Any], int]
    # on_decided(objection): in the decision's transaction (the 异议处理结果 notice; see apps/refunds/objections.py).
    on_decided: Callable[[Any], None] | None = None


SOURCES: dict[str, ObjectionSource] = {}


def register_source(source: ObjectionSource) -> None:
    SOURCES[source.slug] = source


def source_get(slug: str) -> ObjectionSource:
    source = SOURCES.get(slug)
    if source is None:
        raise NotFoundError("not_found", "记录不存在或无权访问。")
    return source
