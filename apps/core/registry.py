"""What the upper floors offer the lower ones, registered in each app's AppConfig.ready().

The kernel knows no domain. A domain app that wants a tile on the dashboard, items on the 待办 worklist,
a chart or a model on the one 变更记录 page registers it here; the portal app (top floor) reads the
registrations. Nothing here imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

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


# The roles whose work the 待办 list holds (accounts.User.Role values; core sits below accounts). The audit
# administrator, the security administrator and integration accounts have no 待办.
WORKLIST_ROLES: tuple[str, ...] = ("caseworker", "supervisor", "administrator")


@dataclass(frozen=True)
class WorkItem:
    """One thing to do, as a source describes one of its records: what it is, why it is waiting for this
    user (a Chinese sentence), the page that opens the record, and its deadline (`due`) or, without one, since
    when it has been waiting (`since`, a date or an aware datetime)."""

    what: str
    why: str
    url: str
    due: date | None = None
    since: date | datetime | None = None


@dataclass(frozen=True)
class WorklistSource:
    """One kind of 待办 item (docs/architecture.md, "The 待办 worklist").

    `queryset(user, today)` returns the records waiting for this user — scoped to their region, never ones
    the user may not act on (four eyes: not the ones they made) — **ordered by the date the items carry**
    (`due`, else `since`), oldest first; `item(record)` describes one record without a query of its own
    (select_related what it reads). `module` is the app label the items belong to: the 待办 page groups by
    it and the navigation shows its count beside that module's entry. `roles` may see the source at all.
    """

    key: str
    module: str
    label: str
    queryset: Callable[[Any, date], Any]
    item: Callable[[Any], WorkItem]
    roles: tuple[str, ...] = WORKLIST_ROLES
    order: int = 100

    def applies_to(self, user) -> bool:
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(*self.roles))

    def count(self, user, today: date, limit: int | None = None) -> int:
        """How many (one COUNT query; at most `limit` + 1 rows counted when a limit is given)."""
        if not self.applies_to(user):
            return 0
        records = self.queryset(user, today).order_by()
        return records[: limit + 1].count() if limit is not None else records.count()

    def items(self, user, today: date, limit: int = 5) -> list[dict[str, Any]]:
        """The first `limit` items (one query), as dicts the templates read (see `work_item_dict`)."""
        if not self.applies_to(user) or limit <= 0:
            return []
        return [work_item_dict(self, self.item(record), today) for record in self.queryset(user, today)[:limit]]


# Urgency: overdue first (the longest overdue first), then due today, then waiting without a deadline (the
# longest waiting first), then due later (the soonest first). A source's own order (by its date) is
# therefore also its urgency order, so sources merge without sorting all of their rows.
URGENCY_RANK = {"overdue": 0, "today": 1, "waiting": 2, "upcoming": 3}


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def work_item_dict(source: WorklistSource, item: WorkItem, today: date) -> dict[str, Any]:
    """The item with its state (overdue / today / upcoming / waiting), the days that state counts and its
    urgency sort key. `label` repeats `what` (the name older callers read)."""
    due, since = _as_date(item.due), _as_date(item.since)
    days: int | None
    if due is not None:
        state = "overdue" if due < today else "today" if due == today else "upcoming"
        days = abs((today - due).days)
        moment = due
    else:
        state, days, moment = "waiting", (today - since).days if since is not None else None, since or today
    return {"source": source.key, "module": source.module, "kind": source.label, "label": item.what,
            "what": item.what, "why": item.why, "url": item.url, "due": due, "since": since, "state": state,
            "days": days, "overdue_days": (today - due).days if due is not None and due < today else None,
            "sort": (URGENCY_RANK[state], moment.toordinal(), source.order, source.key)}


def worklist_window(name: str) -> int:
    """A window of the 待办 list in days (settings.WORKLIST_WINDOW_DAYS: how far ahead an upcoming visit,
    a follow-up or an expiring certification shows, how long a failed import stays): configuration, never a
    number in a source. A missing name is an error, not a default."""
    return int(settings.WORKLIST_WINDOW_DAYS[name])


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
