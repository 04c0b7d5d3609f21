"""The home dashboard: what every domain registered (apps.core.registry), evaluated for the signed-in user."""

from datetime import date
from typing import Any

from django.urls import reverse

from apps.core import registry

# Items shown per worklist source; the source's own page lists the rest.
WORKLIST_ITEMS_SHOWN = 5


def _tile(tile: registry.Tile, user) -> dict[str, Any]:
    figure = tile.value(user)
    return {"key": tile.key, "label": tile.label, "icon": tile.icon, "url": reverse(tile.url_name),
            "alert": tile.alert, "value": figure["value"], "hint": figure.get("hint", "")}


def _chart(chart: registry.Chart, user) -> dict[str, Any]:
    return {"key": chart.key, "title": chart.title, "kind": chart.kind, "series_label": chart.series_label,
            "width": chart.width, "data": chart.data(user), "canvas_id": f"chart-{chart.key}",
            "data_id": f"data-{chart.key}"}


def worklist(*, user, today: date) -> list[dict[str, Any]]:
    """One section per source that has something for this user: its label, its first items and how many."""
    sections = []
    for source in registry.worklist_sources():
        items = source.items(user, today)
        if items:
            count = source.count(user, today) if source.count is not None else len(items)
            sections.append({"key": source.key, "label": source.label, "count": count,
                             "items": items[:WORKLIST_ITEMS_SHOWN]})
    return sections


def summary(*, user, today: date) -> dict[str, Any]:
    tiles = registry.tiles()
    return {
        "stats": [_tile(tile, user) for tile in tiles if tile.group == registry.HEADLINE],
        "tiles": [_tile(tile, user) for tile in tiles if tile.group == registry.DOMAIN],
        "charts": [_chart(chart, user) for chart in registry.charts()],
        "worklist": worklist(user=user, today=today),
    }
