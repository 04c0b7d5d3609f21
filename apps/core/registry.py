"""What the upper floors offer the lower ones, registered in each app's AppConfig.ready().

The kernel knows no domain. A domain app that wants a tile on the dashboard, items on the 待办 worklist
or a model on the one 变更记录 page registers it here; the portal app (top floor) and core's history
page read the registrations. Nothing here imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tile:
    """One dashboard tile: `value(user)` returns {"value": …, "hint": …} for the signed-in user."""

    key: str
    label: str
    icon: str
    url_name: str
    value: Callable[..., dict[str, Any]]
    order: int = 100
    alert: bool = False


@dataclass(frozen=True)
class WorklistSource:
    """One kind of 待办 item: `items(user, today)` returns a list of dicts (label, url, due, …)."""

    key: str
    label: str
    items: Callable[..., list[dict[str, Any]]]
    order: int = 100


TILES: dict[str, Tile] = {}
WORKLIST_SOURCES: dict[str, WorklistSource] = {}
# Models whose change history a supervisor may open: "app_label.model_name" → path to their Region FK.
HISTORY_MODELS: dict[str, str] = {}


def register_tile(tile: Tile) -> None:
    TILES[tile.key] = tile


def register_worklist_source(source: WorklistSource) -> None:
    WORKLIST_SOURCES[source.key] = source


def register_history_model(label: str, region_field: str) -> None:
    HISTORY_MODELS[label] = region_field


def tiles() -> list[Tile]:
    return sorted(TILES.values(), key=lambda tile: (tile.order, tile.key))


def worklist_sources() -> list[WorklistSource]:
    return sorted(WORKLIST_SOURCES.values(), key=lambda source: (source.order, source.key))
