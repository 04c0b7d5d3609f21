"""Every list's default sort is served by an index: a page is read in index order, never by sorting the table.

The lists are not written down here. The test walks the URL resolver (the caseworker pages and the API
router alike), requests every GET route with the demo data loaded, as each demo account, and reads the SQL
of every page it ran (a SELECT with ORDER BY and LIMIT). For each, the table must have an index — read from
the database itself, so the migration really created it — whose columns start with the sort columns, in the
same directions or all reversed (a B-tree is read both ways), after any leading columns the query fixes
with `=` (results of one run: `run_id = … ORDER BY employer_id` uses `(run_id, employer_id)`).
A new list without its index fails here, with the SQL that needs it.

The sorts a user picks by clicking a column header are checked the same way: a page whose view names a
`Listing` (apps.core.listing) is requested again with every `?ordering=` key of its FilterSet, ascending
and descending, and every registered list with sort keys must have been reached so.
"""

import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from apps.accounts.models import User
from apps.core.listing import LISTINGS, Listing
from tests.conftest import login_verified

# Not lists of the portal's records, or not GET pages: Django's admin has its own changelists (and sorts on
# any column a click asks for), the schema and docs pages, sign-in and sign-out, the health check.
SKIPPED_PREFIXES = ("admin/", "api/schema/", "api/docs/", "api/redoc/", "login/", "logout/", "healthz",
                    "static/", "media/", "i18n/")
DEMO_ACCOUNTS = ["admin", "supervisor", "caseworker", "auditor"]  # the integration account sees what admin sees
# Lists whose sort no index can serve, each with the reason it stays cheap. Keep this short.
EXEMPT = {
    "childcare_operatingsubsidyclaim": "one claim per institution and year (a few thousand a year in a province), "
                                       "listed by year and then by the institution's region and name",
}

ORDER_BY = re.compile(r' ORDER BY (?P<terms>.+?) LIMIT (?P<limit>\d+)(?: OFFSET \d+)?\s*\)?\s*$', re.S)
TERM = re.compile(r'^(?:"(?P<table>\w+)"\.)?"(?P<column>\w+)" (?P<direction>ASC|DESC)(?: NULLS (?:FIRST|LAST))?$')
EQUALS = re.compile(r'"(?P<table>\w+)"\."(?P<column>\w+)" = (?!")')  # = a value, not a join's = "t"."id"


def routes(patterns=None, prefix: str = ""):
    """(route text, pattern) for every URL the resolver knows, with its converters' names."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, text)
        elif isinstance(entry, URLPattern):
            yield text, entry


def concrete(route: str) -> str | None:
    """The route with every path id = 1 (the demo's first record) — None when a converter is not an id."""
    if "(?P<format>" in route:
        return None  # the router's `.json` twin of a route: the same queries
    filled = re.sub(r"<int:\w+>|\(\?P<\w+>\[0-9\]\+\)", "1", route.replace("^", "").replace("$", ""))
    if "<" in filled or "(?P" in filled or "\\" in filled:
        return None
    return "/" + filled


@dataclass(frozen=True)
class Sort:
    table: str
    terms: tuple[tuple[str, str], ...]  # (column, ASC|DESC)
    fixed: frozenset[str]  # columns the query fixes with =


def sort_of(sql: str) -> Sort | str | None:
    """The outer ORDER BY of a page query; a reason string when it is not a plain column sort of one table."""
    match = ORDER_BY.search(sql)
    if not match or not sql.lstrip().upper().startswith("SELECT"):
        return None  # not a page
    grouped = bool(re.search(r" GROUP BY [^()]*$", sql[: match.start()]))
    terms, tables = [], set()
    for term in match["terms"].split(", "):
        found = TERM.match(positional(sql, term.strip()))
        if not found and grouped:
            return None  # a chart's or a tile's aggregate (the top regions by count): it sorts groups, not rows
        if not found:
            return f"sorts on an expression ({term.strip()}): no index can serve it"
        tables.add(found["table"])
        terms.append((found["column"], found["direction"]))
    if len(tables - {None}) > 1:
        return f"sorts on columns of several tables ({', '.join(sorted(tables - {None}))}): no index can serve it"
    table = next(iter(tables - {None}), None) or main_table(sql)
    where = sql[sql.rfind(" WHERE ", 0, match.start()):match.start()] if " WHERE " in sql else ""
    fixed = frozenset(m["column"] for m in EQUALS.finditer(where) if m["table"] == table)
    return Sort(table, tuple(terms), fixed)


def main_table(sql: str) -> str:
    """The table of the outer FROM (not one of a subquery in the select list)."""
    for found in re.finditer(r'\sFROM "(\w+)"', sql):
        before = sql[: found.start()]
        if before.count("(") == before.count(")"):
            return found[1]
    return ""


def positional(sql: str, term: str) -> str:
    """`ORDER BY 1 ASC` (a values_list's sort) as the column it names, when the select list says so plainly."""
    found = re.match(r"^(\d+) (ASC|DESC)$", term)
    if not found:
        return term
    select_list = sql[sql.index("SELECT ") + 7: sql.index(" FROM ")].split(", ")
    column = re.match(r'^("\w+"\."\w+")(?: AS "\w+")?$', select_list[int(found[1]) - 1])
    return f"{column[1]} {found[2]}" if column else term


def indexes_of(table: str) -> list[tuple[list[str], list[str]]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    found = []
    for info in constraints.values():
        if info.get("index") or info.get("primary_key") or info.get("unique"):
            columns = [c for c in info["columns"] if c]
            orders = info.get("orders") or []
            found.append((columns, [orders[i] if i < len(orders) else "ASC" for i in range(len(columns))]))
    return found


def served(sort: Sort, index: tuple[list[str], list[str]]) -> bool:
    columns, orders = index
    if columns and columns[0] in sort.fixed:
        return True  # one parent's rows (a person's determinations, a run's results): found by the index, bounded
    terms = [(column, direction) for column, direction in sort.terms if column not in sort.fixed]
    if not terms:
        return True  # every sort column is fixed by the WHERE: nothing left to sort
    wanted = [column for column, _ in terms]
    start = 0
    while start < len(columns) and columns[start] in sort.fixed and columns[start] not in wanted[:1]:
        start += 1  # leading columns the WHERE fixes with = (the run of the results, a person's records)
    if columns[start:start + len(wanted)] != wanted:
        return False
    directions = [direction for _, direction in terms]
    have = orders[start:start + len(wanted)]
    reverse = ["DESC" if d == "ASC" else "ASC" for d in directions]
    return have in (directions, reverse)


def listings_of(url: str) -> list[Listing]:
    """The Listings the page at `url` shows (its view's `listing`, a detail page's `results_listing`)."""
    try:
        view = getattr(resolve(url.split("?")[0]).func, "view_class", None)
    except Resolver404:
        return []
    return [found for name in ("listing", "results_listing") if isinstance(found := getattr(view, name, None), Listing)]


def with_sorts(url: str) -> list[tuple[str, str | None]]:
    """(url, listing key) — the page as it opens, then once per sort key in each direction."""
    found = [(url, None)]
    for listing in listings_of(url):
        for key in listing.sort_keys():
            found.append((f"{url}?ordering={key}", listing.key))
    return found


def page_sorts(client, url: str) -> tuple[int, list[tuple[str, Sort | str]]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sorts = []
    for query in captured.captured_queries:
        found = sort_of(query["sql"])
        if found is not None:
            sorts.append((query["sql"], found))
    return response.status_code, sorts


def restart_empty_sequences() -> None:
    """Every empty table's id sequence back at 1, so the demo's first records have the ids the walk fills in.

    PostgreSQL's sequences are not rolled back with a test's transaction: after other tests in the same database
    the demo's first refund run is not run 1, and `/refunds/runs/1/` would answer 404 (SQLite's counters roll
    back). Django's own `sqlsequencereset` statements set each sequence to the table's max id, or to 1 when empty.
    """
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.mark.django_db
def test_every_list_sort_has_an_index(client, django_capture_on_commit_callbacks):
    restart_empty_sequences()
    with django_capture_on_commit_callbacks(execute=True):  # the demo refund run computes its results
        call_command("seed_demo", verbosity=0)
    # With a real broker the chunks went to a worker, which cannot see this test's uncommitted rows: compute them
    # here, in-process (a no-op when the tasks ran eagerly), so the runs' result lists exist to be walked.
    from apps.refunds.models import RefundChunk, RefundRun
    from apps.refunds.services.computing import chunk_compute, run_finalize

    for chunk_id in RefundChunk.objects.filter(status=RefundChunk.Status.PENDING).values_list("pk", flat=True):
        chunk_compute(chunk_id=chunk_id)
    for run_id in RefundRun.objects.filter(status__in=[RefundRun.Status.CREATED, RefundRun.Status.COMPUTING]).values_list(
            "pk", flat=True):
        run_finalize(run_id=run_id)
    urls = sorted({url for route, _ in routes() if not route.lstrip("^").startswith(SKIPPED_PREFIXES)
                   and (url := concrete(route)) and "export" not in url and "download" not in url})
    problems, pages = {}, 0
    checked: set[Sort] = set()
    sorted_lists: set[str] = set()
    for username in DEMO_ACCOUNTS:
        client.logout()
        login_verified(client, User.objects.get(username=username))
        for url, list_key in [pair for route_url in urls for pair in with_sorts(route_url)]:
            status, sorts = page_sorts(client, url)
            if status != 200:
                if list_key is not None and status == 400:
                    problems.setdefault(f"{url}: a whitelisted sort key answers 400", "")
                continue
            if list_key is not None and sorts:
                sorted_lists.add(list_key)
            for sql, sort in sorts:
                pages += 1
                if main_table(sql) in EXEMPT:
                    continue
                if isinstance(sort, str):
                    problems.setdefault(f"{url}: {sort}", sql)
                    continue
                if sort in checked:
                    continue
                if not any(served(sort, index) for index in indexes_of(sort.table)):
                    terms = ", ".join(f"{c} {d}" for c, d in sort.terms)
                    problems.setdefault(f"{url}: {sort.table} ORDER BY {terms} has no index", sql)
                else:
                    checked.add(sort)
    assert pages > 30, f"only {pages} page queries seen: the walk lost its lists"
    unsorted = sorted(key for key, listing in LISTINGS.items() if listing.sort_keys() and key not in sorted_lists)
    assert not unsorted, f"lists whose sort keys the walk never saw sorted: {unsorted}"
    assert not problems, "\n\n".join(f"{problem}\n    {sql[:600]}" for problem, sql in problems.items())
