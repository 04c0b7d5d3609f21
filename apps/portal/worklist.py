"""The one 待办 list: every registered WorklistSource (apps.core.registry) the signed-in user's role sees, merged
by urgency and grouped by module — for the top of 工作台, the /worklist/ page and the counts on the menu.

Bounded work whatever the data: one COUNT per source (at most WORKLIST_COUNT_LIMIT + 1 rows counted) and one
SELECT … LIMIT per source that has items. A page of the full list merges the sources' first rows (each source
is already in urgency order, so the first `page × size` rows of each are enough) instead of reading them all.
The menu's counts are cached per user and day for WORKLIST_COUNTS_CACHE_SECONDS; the dashboard and the 待办
page count afresh and refresh the cache, and a user's own write drops it (WorklistCountsMiddleware).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache

from apps.core import registry

# Items per module at the top of 工作台; the 待办 page lists them all.
DASHBOARD_ITEMS_PER_MODULE = 3

# The modules' names on the list, in the sidebar's order (an unknown module shows its app's verbose name).
MODULE_LABELS = {
    "applicants": "劳动者与申请人",
    "eligibility": "主动发现",
    "refunds": "稳岗返还",
    "payments": "资金发放",
    "training": "职业技能培训",
    "childcare": "托育机构",
    "child_welfare": "困境儿童",
    "fraud": "欺诈骗保",
    "eldercare": "养老服务人才",
    "public_posts": "公益性岗位",
    "gig": "零工市场",
    "startup_loans": "创业担保贷款",
    "integrations": "对外推送",
    "imports": "数据导入",
}


def module_label(module: str) -> str:
    if module in MODULE_LABELS:
        return MODULE_LABELS[module]
    try:
        return str(django_apps.get_app_config(module).verbose_name)
    except LookupError:
        return module


def sources_for(user) -> list[registry.WorklistSource]:
    """The sources this user's role sees (none for the auditor, the security administrator, an API client)."""
    return [source for source in registry.worklist_sources() if source.applies_to(user)]


def count_limit() -> int:
    return settings.WORKLIST_COUNT_LIMIT


def _cache_key(user, today: date) -> str:
    return f"worklist-counts:{user.pk}:{today.isoformat()}"


def fresh_counts(user, today: date) -> dict[str, int]:
    """Each source's count now (one COUNT per source), stored for the menu."""
    counts = {source.key: source.count(user, today, limit=count_limit()) for source in sources_for(user)}
    cache.set(_cache_key(user, today), counts, settings.WORKLIST_COUNTS_CACHE_SECONDS)
    return counts


def counts(user, today: date) -> dict[str, int]:
    """The menu's counts: from the cache when fresh enough, else counted (and cached)."""
    if not sources_for(user):
        return {}
    cached = cache.get(_cache_key(user, today))
    return cached if isinstance(cached, dict) else fresh_counts(user, today)


def forget_counts(user, today: date) -> None:
    cache.delete(_cache_key(user, today))


def module_counts(source_counts: dict[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for source in registry.worklist_sources():
        if source.key in source_counts:
            totals[source.module] = totals.get(source.module, 0) + source_counts[source.key]
    return totals


def shown_count(value: int) -> str:
    """'1000+' past the count limit (a source stops counting there)."""
    return f"{count_limit()}+" if value > count_limit() else str(value)


def _merge(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return list(heapq.merge(*lists, key=lambda item: item["sort"]))


def dashboard(user, today: date) -> dict[str, Any]:
    """The top of 工作台: per module (most urgent module first) its count and its most urgent items."""
    source_counts = fresh_counts(user, today)
    by_module: dict[str, list[list[dict[str, Any]]]] = {}
    for source in sources_for(user):
        if source_counts.get(source.key):
            by_module.setdefault(source.module, []).append(source.items(user, today, DASHBOARD_ITEMS_PER_MODULE))
    totals = module_counts(source_counts)
    groups: list[dict[str, Any]] = []
    for module, lists in by_module.items():
        items = _merge(lists)[:DASHBOARD_ITEMS_PER_MODULE]
        if items:
            groups.append({"module": module, "label": module_label(module), "count": totals[module],
                           "count_shown": shown_count(totals[module]), "items": items})
    groups.sort(key=lambda group: group["items"][0]["sort"])
    total = sum(source_counts.values())
    return {"groups": groups, "total": total, "total_shown": shown_count(total)}


@dataclass
class MergedWorklist:
    """The full list of one user (optionally one module) in urgency order, as Django's Paginator reads it:
    `count()` and slices. A slice reads the first `stop` rows of each source and merges them."""

    user: Any
    today: date
    module: str = ""

    def __post_init__(self) -> None:
        self.sources = [source for source in sources_for(self.user) if not self.module or source.module == self.module]
        self.counts = fresh_counts(self.user, self.today) if not self.module else {
            source.key: source.count(self.user, self.today, limit=count_limit()) for source in self.sources}

    def count(self) -> int:
        return sum(min(self.counts.get(source.key, 0), count_limit()) for source in self.sources)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("the worklist is read by pages")
        stop = index.stop if index.stop is not None else self.count()
        lists = [source.items(self.user, self.today, stop) for source in self.sources
                 if self.counts.get(source.key)]
        return _merge(lists)[index.start or 0:stop]


def modules(user, today: date) -> list[dict[str, Any]]:
    """The module filter of the 待办 page: each module the user has items in, with its count."""
    totals = module_counts(counts(user, today))
    order = {module: index for index, module in enumerate(MODULE_LABELS)}
    return [{"module": module, "label": module_label(module), "count": total, "count_shown": shown_count(total)}
            for module, total in sorted(totals.items(), key=lambda pair: (order.get(pair[0], 99), pair[0]))
            if total]


def known_module(module: str) -> bool:
    return any(source.module == module for source in registry.worklist_sources())
