"""The home dashboard: what every domain registered (apps.core.registry), evaluated for the signed-in user."""

from datetime import date
from typing import Any

from django.urls import reverse

from apps.core import registry
from apps.portal import worklist as worklist_list


def _tile(tile: registry.Tile, user) -> dict[str, Any]:
    figure = tile.value(user)
    return {"key": tile.key, "label": tile.label, "icon": tile.icon, "url": reverse(tile.url_name),
            "alert": tile.alert, "value": figure["value"], "hint": figure.get("hint", "")}


def _chart(chart: registry.Chart, user) -> dict[str, Any]:
    return {"key": chart.key, "title": chart.title, "kind": chart.kind, "series_label": chart.series_label,
            "width": chart.width, "data": chart.data(user), "canvas_id": f"chart-{chart.key}",
            "data_id": f"data-{chart.key}"}


def summary(*, user, today: date) -> dict[str, Any]:
    tiles = registry.tiles()
    return {
        "stats": [_tile(tile, user) for tile in tiles if tile.group == registry.HEADLINE],
        "tiles": [_tile(tile, user) for tile in tiles if tile.group == registry.DOMAIN],
        "charts": [_chart(chart, user) for chart in registry.charts()],
        "worklist": worklist_list.dashboard(user, today),  # first on the page: the work finds the worker
    }
