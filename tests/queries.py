"""Query-count tests compare two data sizes: a list reads the same number of queries for N rows and for 3N.

A fixed budget alone (`django_assert_num_queries(5)`) passes when a list does one query per row as long as
the test made few enough rows; comparing N with 3N fails on any per-row query.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_queries_constant(read: Callable[[], Any], add_rows: Callable[[int], Any], n: int = 4, *,
                            exactly: int | None = None, at_most: int | None = None) -> Any:
    """Add N rows, read; add 2N more, read again: the same number of queries both times.

    `read()` does the request (its first call warms the session and per-user caches and is not counted);
    `add_rows(k)` creates k more rows the read must show. `exactly` / `at_most` also pin the number.
    Returns what the last `read()` returned.
    """
    add_rows(n)
    read()
    with CaptureQueriesContext(connection) as small:
        read()
    add_rows(2 * n)
    with CaptureQueriesContext(connection) as large:
        result = read()
    few, many = len(small.captured_queries), len(large.captured_queries)
    assert few == many, (
        f"{few} queries for {n} rows but {many} for {3 * n}:\n"
        + "\n".join(query["sql"] for query in large.captured_queries))
    if exactly is not None:
        assert few == exactly, f"expected {exactly} queries, got {few}:\n" + "\n".join(
            query["sql"] for query in small.captured_queries)
    if at_most is not None:
        assert few <= at_most, f"expected at most {at_most} queries, got {few}"
    return result


def prime_worklist_counts(user) -> None:
    """Count the user's 待办 once (what their first page does), so a page's query count is the page's own: the
    menu's counts come from the per-user cache afterwards (apps.portal.worklist; their own queries are pinned in
    tests/portal/test_worklist_page.py)."""
    from django.utils import timezone

    from apps.portal import worklist

    worklist.counts(user, timezone.localdate())
