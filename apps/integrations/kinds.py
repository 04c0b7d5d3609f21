"""What the programmes push to other platforms: an app registers each kind in its `ready()`.

    register_kind(Kind(code="training.willingness", label="培训意愿登记", source="training-willingness"))

The owning app builds the payload (a snapshot of its record) and calls `apps.integrations.services.outbound_enqueue`
in the transaction of its write; this app knows no programme.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    source: str  # the record it is about, as the record's slug (a payload carries its id)


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_get(code: str) -> Kind | None:
    return KINDS.get(code)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in sorted(KINDS.values(), key=lambda k: k.code)]
