"""One paginator for the large lists, shared by the UI (ListView.paginator_class) and the API (StandardPagination).

Django's Paginator runs `SELECT COUNT(*)` over the whole filtered list on every page; at a million rows that
count is most of the request. This one counts at most `LIST_EXACT_COUNT_LIMIT` + 1 rows
(`SELECT COUNT(*) FROM (… LIMIT n + 1)`, one query as before): below the limit the count is exact, as
before. Above it the count is the planner's estimate (`EXPLAIN`, PostgreSQL) — shown as “约 N 条” — or, on a
database without one, the limit itself as a lower bound (“超过 N 条”). A page then fetches one row more
than it shows, so “下一页” is exact even when the total is not.
"""

import json
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from apps.core.db_router import replica_reads

DEFAULT_EXACT_COUNT_LIMIT = 10_000


def exact_count_limit() -> int:
    return getattr(settings, "LIST_EXACT_COUNT_LIMIT", DEFAULT_EXACT_COUNT_LIMIT)


def planner_estimate(queryset: QuerySet) -> int | None:
    """The row count PostgreSQL's planner expects for `queryset` (one EXPLAIN, nothing executed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CappedCountPage(Page):
    """A page that knows whether a next page exists without knowing the total."""

    def __init__(self, object_list, number, paginator, has_more: bool):
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        return self._has_more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedCountPaginator(Paginator):
    """Exact count up to a limit, estimated above it; see the module docstring."""

    def __init__(self, *args, exact_limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exact_limit = exact_count_limit() if exact_limit is None else exact_limit

    def _is_queryset(self) -> bool:
        return isinstance(self.object_list, QuerySet)

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        """(count, exact). One bounded COUNT; one EXPLAIN more only when the list is over the limit. On the
        replica when one is configured (apps.core.db_router)."""
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return len(object_list), True
        limit = self.exact_limit
        with replica_reads():
            counted = object_list.order_by()[: limit + 1].count()  # COUNT(*) FROM (… LIMIT n + 1)
            if counted <= limit:
                return counted, True
            estimate = planner_estimate(object_list)
        return max(estimate or 0, limit + 1), False

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_is_exact(self) -> bool:
        return self._capped[1]

    @property
    def count_is_estimate(self) -> bool:
        """An estimate from the planner (“约 N 条”), not a lower bound (“超过 N 条”) or exact."""
        object_list = self.object_list
        return (not self.count_is_exact and isinstance(object_list, QuerySet)
                and connections[object_list.db].vendor == "postgresql")

    def validate_number(self, number):
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number  # the last page is found by fetching it, not by the (estimated) total

    def page(self, number):
        """The page's rows, read now (on the replica when one is configured), not when a template iterates."""
        if self.count_is_exact:
            page = super().page(number)
            with replica_reads():
                page.object_list = list(page.object_list)
            return page
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        with replica_reads():
            rows = list(self.object_list[bottom:bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedCountPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


# The page sizes a list offers (`?page_size=`); anything else falls back to the list's own default.
PAGE_SIZES = (20, 50, 100)


def page_size(request, default: int) -> int:
    """The page size a user picked for a list, if it is one the lists offer; otherwise the list's default."""
    try:
        chosen = int(request.GET.get("page_size", ""))
    except ValueError:
        return default
    return chosen if chosen in PAGE_SIZES or chosen == default else default


class PageSizeMixin:
    """ListView: `?page_size=` picks one of PAGE_SIZES (the page-size links under every list)."""

    request: Any

    def get_paginate_by(self, queryset):
        return page_size(self.request, super().get_paginate_by(queryset))  # type: ignore[misc]
