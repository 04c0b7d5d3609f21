"""API pagination: page numbers by default, a keyset cursor on the big lists when the client asks for one.

Page numbers (`?page=`, `?page_size=`) use the UI's paginator: `count` is exact up to `LIST_EXACT_COUNT_LIMIT`
rows and the planner's estimate above it (`count_exact: false`); `next` is always exact.
"""

import base64
import json
from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import BooleanField, Q, QuerySet, UniqueConstraint
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Exact
from django.db.models.sql.datastructures import Join
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.db_router import replica_reads
from apps.core.exceptions import ApplicationError
from apps.core.pagination import CappedCountPaginator

CURSOR_PARAM = "cursor"


# --- Keyset (cursor) pages ---------------------------------------------------------------------------------
# `?page=5000` makes the database read and throw away 249,950 rows first (OFFSET); a cursor says where the
# previous page ended — the sort values of its last row — and the next page is read from there through the
# list's sort index (tests/architecture/test_sort_indexes.py keeps one for every list), as fast as page 1.
# Opt-in per view (`keyset_pagination = True`) and per request (`?cursor=`, empty for the first page), so a
# client that pages by number sees nothing change.


class InvalidCursor(exceptions.ValidationError):
    default_code = "invalid_cursor"


def _invalid() -> InvalidCursor:
    return InvalidCursor({"cursor": [exceptions.ErrorDetail("游标无效或已过期，请从第一页重新开始（?cursor=）。",
                                                            code="invalid_cursor")]})


@dataclass(frozen=True)
class KeysetOrder:
    """The list's sort as (field, descending) terms, made total: it ends in the primary key unless the fields
    already form a unique key (contributions: period and employer)."""

    terms: tuple[tuple[str, bool], ...]

    @classmethod
    def of(cls, queryset: QuerySet) -> "KeysetOrder":
        model = queryset.model
        names = list(queryset.query.order_by) or list(model._meta.ordering)
        terms: list[tuple[str, bool]] = []
        for name in names:
            if not isinstance(name, str) or "__" in name or name.lstrip("-") in ("?", ""):
                raise ApplicationError("cursor_unsupported", "此列表的排序不支持游标分页，请使用 ?page=。",
                                       fields={"cursor": ["此列表的排序不支持游标分页"]})
            field = model._meta.pk if name.lstrip("-") == "pk" else model._meta.get_field(name.lstrip("-"))
            if field.null:  # NULL compares as unknown: rows would fall between two pages
                raise ApplicationError("cursor_unsupported", "此列表的排序不支持游标分页，请使用 ?page=。",
                                       fields={"cursor": ["此列表的排序不支持游标分页"]})
            terms.append((field.attname, name.startswith("-")))
        if not cls._unique(model, {name for name, _ in terms} | cls._fixed(queryset)):
            terms.append((model._meta.pk.attname, terms[-1][1] if terms else False))
        return cls(tuple(terms))

    @staticmethod
    def _fixed(queryset: QuerySet) -> set[str]:
        """Columns of the list's own table that its filter fixes to one value (the run of a run's results)."""
        where, table = queryset.query.where, queryset.model._meta.db_table
        if where.connector != "AND" or where.negated:
            return set()
        return {child.lhs.target.attname for child in where.children
                if isinstance(child, Exact) and isinstance(child.lhs, Col) and child.lhs.alias == table
                and not hasattr(child.rhs, "resolve_expression")}

    @staticmethod
    def _unique(model, attnames: set[str]) -> bool:
        keys = [[model._meta.pk.attname]]
        keys += [[model._meta.get_field(f).attname for f in c.fields] for c in model._meta.constraints
                 if isinstance(c, UniqueConstraint) and c.condition is None and c.fields]
        keys += [[f.attname] for f in model._meta.concrete_fields if f.unique]
        return any(set(key) <= attnames for key in keys)

    @property
    def signature(self) -> str:
        return ",".join(("-" if desc else "") + name for name, desc in self.terms)

    def order_by(self, backwards: bool) -> list[str]:
        return [("-" if desc != backwards else "") + name for name, desc in self.terms]

    def values(self, row) -> list:
        return [getattr(row, name) for name, _ in self.terms]

    def ranges(self, model, values: list, backwards: bool) -> list[tuple[Q, str, str, object]]:
        """The rows after `values` in this order (before them when `backwards`), as consecutive index ranges:
        first (a = A, b = B, c > C), then (a = A, b > B), then (a > A). Each is one range of the list's sort
        index whatever the directions — a single (a, b, c) > (A, B, C) cannot say "period descending, then
        employer ascending", and the OR of the three makes PostgreSQL filter the rows of A before the
        position instead of starting there. Each range comes with its strict bound (column, < or >, value)."""
        fields = [model._meta.get_field(name) for name, _ in self.terms]
        values = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
        found = []
        for index in range(len(self.terms) - 1, -1, -1):
            name, desc = self.terms[index]
            lookup = "lt" if desc != backwards else "gt"
            step = Q(**{f"{name}__{lookup}": values[index]})
            for prior in range(index):
                step &= Q(**{self.terms[prior][0]: values[prior]})
            found.append((step, name, "<" if lookup == "lt" else ">", values[index]))
        return found


def joined_bound(queryset: QuerySet, column: str, operator: str, value) -> QuerySet:
    """The bound `column > value` repeated on the key of the table `column` joins (employer_id → the employer
    table's id, joined for the region scope). PostgreSQL does not carry an inequality across a join: without
    it, a deep page of contributions merge-joins the employer table from its first row up to the position
    (22 ms at 100k employers; 0.09 ms with it)."""
    query = queryset.query
    for alias, join in query.alias_map.items():
        if (isinstance(join, Join) and query.alias_refcount.get(alias) and join.parent_alias == query.base_table
                and len(join.join_cols) == 1 and join.join_cols[0][0] == column):  # a join the SQL really has
            target = join.join_cols[0][1]
            quote = connections[queryset.db].ops.quote_name
            sql = f"{quote(alias)}.{quote(target)} {operator} %s"
            queryset = queryset.filter(RawSQL(sql, [value], output_field=BooleanField()))
    return queryset


class KeysetPage:
    def __init__(self, rows: list, *, next_values: list | None, previous_values: list | None):
        self.rows, self.next_values, self.previous_values = rows, next_values, previous_values


def encode_cursor(order: KeysetOrder, values: list, backwards: bool) -> str:
    payload = {"o": order.signature, "v": values, "b": int(backwards)}
    text = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(order: KeysetOrder, cursor: str) -> tuple[list, bool] | None:
    """(values, backwards), or None for the first page (an empty cursor)."""
    if not cursor:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        values, backwards = payload["v"], bool(payload["b"])
        valid = payload["o"] == order.signature and isinstance(values, list) and len(values) == len(order.terms)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise _invalid() from error
    if not valid or any(value is None for value in values):
        raise _invalid()
    return values, backwards


def keyset_page(queryset: QuerySet, cursor: str, size: int) -> KeysetPage:
    """One page of `queryset` after (or before) the cursor's position: size + 1 rows, read from the first of
    the position's ranges (KeysetOrder.ranges) and the next ones only while the page is not full — one
    query a page as a rule, at most one per sort column."""
    order = KeysetOrder.of(queryset)
    position = decode_cursor(order, cursor)
    backwards = bool(position and position[1])
    ordered = queryset.order_by(*order.order_by(backwards))
    if position is None:
        rows = list(ordered[: size + 1])
    else:
        try:
            ranges = order.ranges(queryset.model, position[0], backwards)
        except (ValidationError, ValueError, TypeError) as error:
            raise _invalid() from error
        rows = []
        for part, column, operator, value in ranges:
            rows += list(joined_bound(ordered.filter(part), column, operator, value)[: size + 1 - len(rows)])
            if len(rows) > size:
                break
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return KeysetPage([], next_values=None, previous_values=None)
    has_next = more if not backwards else True
    has_previous = (position is not None) if not backwards else more
    return KeysetPage(rows, next_values=order.values(rows[-1]) if has_next else None,
                      previous_values=order.values(rows[0]) if has_previous else None)


def uses_cursor(request, view) -> bool:
    return bool(getattr(view, "keyset_pagination", False)) and CURSOR_PARAM in request.query_params


class StandardPagination(PageNumberPagination):
    """Page numbers for every list; on a view with `keyset_pagination = True`, `?cursor=` (empty: the first
    page) switches to keyset pages: `{"next", "previous", "results"}`, no count, each page as fast as the
    first and stable while rows are added (a row is never shown twice nor skipped)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedCountPaginator
    keyset: KeysetPage | None = None

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if not uses_cursor(request, view):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request) or self.page_size
        with replica_reads():  # the replica when one is configured (apps.core.db_router)
            self.keyset = keyset_page(queryset, request.query_params.get(CURSOR_PARAM, ""), size)
        self._order = KeysetOrder.of(queryset)
        return self.keyset.rows

    def _cursor_link(self, values: list | None, backwards: bool) -> str | None:
        if values is None or self.request is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, CURSOR_PARAM, encode_cursor(self._order, values, backwards))

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return Response(OrderedDict([
                ("next", self._cursor_link(self.keyset.next_values, False)),
                ("previous", self._cursor_link(self.keyset.previous_values, True)),
                ("results", data),
            ]))
        page = self.page
        if page is None:  # DRF calls paginate_queryset() first; this narrows the Optional for the type checker
            raise RuntimeError("get_paginated_response() before paginate_queryset()")
        paginator = page.paginator
        exact = paginator.count_is_exact if isinstance(paginator, CappedCountPaginator) else True
        return Response(OrderedDict([
            ("count", paginator.count),
            ("count_exact", exact),
            ("next", self.get_next_link()),
            ("previous", self.get_previous_link()),
            ("results", data),
        ]))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if getattr(view, "keyset_pagination", False):
            parameters.append({
                "name": CURSOR_PARAM, "required": False, "in": "query", "schema": {"type": "string"},
                "description": "Keyset pages for deep reads: send `cursor=` (empty) for the first page, then "
                               "follow `next`/`previous`. The answer then has no `count`; `page` is ignored. "
                               "Stable while rows are added: no row twice, none skipped.",
            })
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "Exact up to LIST_EXACT_COUNT_LIMIT rows (default 10,000), an estimate above it (see count_exact). "
            "Absent from cursor pages (?cursor=).")
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_exact": {"type": "boolean", "example": True,
                            "description": "false when count is an estimate of a large list; next/previous "
                                           "are exact either way. Absent from cursor pages."},
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        response["required"] = ["results"]  # count and count_exact: page-number answers only
        return response
