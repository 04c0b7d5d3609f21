"""What the upper floors offer the lower ones, registered in each app's AppConfig.ready().

The kernel knows no domain. A domain app that wants a tile on the dashboard, items on the 待办 worklist,
a chart or a model on the one 变更记录 page registers it here; the portal app (top floor) reads the
registrations. Nothing here imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The two rows of tiles on the dashboard: the registries' headline figures, then one tile per programme.
HEADLINE = "headline"
DOMAIN = "domain"


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
    group: str = DOMAIN  # HEADLINE or DOMAIN


@dataclass(frozen=True)
class Chart:
    """One dashboard chart: `data(user)` returns {"labels": [...], "values": [...]} (Chart.js `kind`)."""

    key: str
    title: str
    kind: str
    data: Callable[..., dict[str, list[Any]]]
    series_label: str = ""
    order: int = 100
    width: int = 6  # Bootstrap columns (of 12) on a large screen


@dataclass(frozen=True)
class WorklistSource:
    """One kind of 待办 item: `items(user, today)` returns a list of dicts (label, url, due, …).

    A source with many items returns the first few and gives `count(user, today)`, the number of all of them.
    """

    key: str
    label: str
    items: Callable[..., list[dict[str, Any]]]
    order: int = 100
    count: Callable[..., int] | None = None


@dataclass(frozen=True)
class SearchSource:
    """One kind of record the global search box finds. `search(user, query)` returns the user's scoped
    queryset of matches (the domain's own list selector with its `q` filter); `row(obj)` gives
    {"title", "detail", "url"} with ID numbers masked; `list_url_name` lists all matches (`?q=`)."""

    key: str
    label: str
    search: Callable[..., Any]
    row: Callable[[Any], dict[str, str]]
    list_url_name: str
    order: int = 100


TILES: dict[str, Tile] = {}
CHARTS: dict[str, Chart] = {}
WORKLIST_SOURCES: dict[str, WorklistSource] = {}
SEARCH_SOURCES: dict[str, SearchSource] = {}
# Models whose change history a supervisor may open: "app_label.model_name" → path to their Region FK.
HISTORY_MODELS: dict[str, str] = {}


def register_tile(tile: Tile) -> None:
    TILES[tile.key] = tile


def register_chart(chart: Chart) -> None:
    CHARTS[chart.key] = chart


def register_worklist_source(source: WorklistSource) -> None:
    WORKLIST_SOURCES[source.key] = source


def register_search_source(source: SearchSource) -> None:
    SEARCH_SOURCES[source.key] = source


def register_history_model(label: str, region_field: str) -> None:
    HISTORY_MODELS[label] = region_field


def tiles() -> list[Tile]:
    return sorted(TILES.values(), key=lambda tile: (tile.order, tile.key))


def charts() -> list[Chart]:
    return sorted(CHARTS.values(), key=lambda chart: (chart.order, chart.key))


def worklist_sources() -> list[WorklistSource]:
    return sorted(WORKLIST_SOURCES.values(), key=lambda source: (source.order, source.key))


def search_sources() -> list[SearchSource]:
    return sorted(SEARCH_SOURCES.values(), key=lambda source: (source.order, source.key))
