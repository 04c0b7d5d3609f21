"""The programmes that publish a list (公示) register here, from their AppConfig.ready(): publicity knows no
programme — as apps.payments knows none (docs/publicity.md).

A source says, for one of its records (a refund run, later a childcare or a training claim list), what the
public may read: a title, the issuing region, the columns and the rows — public values only (a unit's name,
a masked code, a class, an amount; never a person's contact or a bank account) — and whether the list is
still up (a record taken back, e.g. a run returned during 公示, takes its list down).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from apps.core.exceptions import ApplicationError


@dataclass(frozen=True)
class PublicRecord:
    title: str  # the list's heading, e.g. "2026年失业保险稳岗返还拟发放单位名单"
    issuer: str  # who publishes it, e.g. the region's name
    region_code: str
    visible: bool  # False: the record was taken back; the public page answers 404


@dataclass(frozen=True)
class PublicitySource:
    key: str  # "refunds.run"
    label: str  # "稳岗返还"
    # The effective-dated parameter (apps.eligibility) giving the window's length in working days.
    days_parameter: str
    # (label, kind) per column; kind "money" is a Decimal amount, anything else text.
    columns: Sequence[tuple[str, str]]
    record: Callable[[int], PublicRecord | None]
    # rows(record_id) → one list of public values per row, in the columns' order.
    rows: Callable[[int], list[list[Any]]]


SOURCES: dict[str, PublicitySource] = {}


def register_source(source: PublicitySource) -> None:
    SOURCES[source.key] = source


def source_get(key: str) -> PublicitySource:
    try:
        return SOURCES[key]
    except KeyError:
        raise ApplicationError("unknown_publicity_source", f"未知的公示来源：{key}",
                               {"source": ["未知的公示来源"]}) from None


# The PDF of a public list: the documents app registers its renderer (publicity_list_pdf) in its ready();
# it takes the PublicList (apps.publicity.selectors) and returns the HTTP response. None: no PDF link.
_PDF_RENDERER: list[Callable[[Any], Any]] = []


def register_pdf_renderer(render: Callable[[Any], Any]) -> None:
    _PDF_RENDERER[:] = [render]


def pdf_renderer() -> Callable[[Any], Any] | None:
    return _PDF_RENDERER[0] if _PDF_RENDERER else None
