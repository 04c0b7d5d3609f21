"""Keyset (cursor) pages on the big API lists: `?cursor=` walks every row exactly once, in the list's order,
while rows are being added; page numbers stay the default."""

import base64
import json
from datetime import date
from itertools import count
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.employers.models import Contribution
from apps.refunds.services import run_start
from tests.factories import ContributionFactory, EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db
serial = count(1)


def people(n):
    return [PersonFactory() for _ in range(n)]


def employers(n):
    return [EmployerFactory() for _ in range(n)]


def contributions(n):
    """n rows over a few employers and periods: many rows share a period (the sort's first column)."""
    made: list = []
    while len(made) < n:
        employer = EmployerFactory()
        for month in (1, 2, 3)[: n - len(made)]:
            made.append(ContributionFactory(employer=employer, period=date(2024, month, 1)))
    return made


def contribution_order(row):
    return (-row["period_ordinal"], row["employer"])


# (endpoint, make n rows, a result's sort key, ?ordering=): the sort each list has by default, and one more
LISTS = [
    ("/api/v1/applicants/", people, lambda r: -r["id"], None),
    ("/api/v1/applicants/", people, lambda r: (r["name"], r["id"]), "name"),
    ("/api/v1/employers/", employers, lambda r: -r["id"], None),
    ("/api/v1/contributions/", contributions, contribution_order, None),
]


def walk(api, url, params, *, between=None, limit=50):
    """Follow `next` from `?cursor=`; `between(page_number)` runs after each page (to add rows)."""
    pages, response = [], api.get(url, {**params, "cursor": ""})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body and set(body) == {"next", "previous", "results"}
        pages.append(body["results"])
        if between:
            between(len(pages))
        if not body["next"] or len(pages) > limit:
            return pages, body
        response = api.get(body["next"])


def decorate(rows):
    for row in rows:
        if "period" in row:
            row["period_ordinal"] = date.fromisoformat(row["period"]).toordinal()
    return rows


@pytest.mark.parametrize(("url", "make", "key", "ordering"), LISTS,
                         ids=["people", "people-by-name", "employers", "contributions"])
def test_a_cursor_walks_every_row_once_in_order_while_rows_are_added(api_for, province_admin, url, make, key,
                                                                    ordering):
    existing = make(23)
    added: list = []
    params = {"page_size": 5, **({"ordering": ordering} if ordering else {})}

    def add_rows(page_number):
        if page_number <= 3:
            added.extend(make(2))  # new rows land before and after the position, by the list's order

    pages, _ = walk(api_for(province_admin), url, params, between=add_rows)
    seen = decorate([row for page in pages for row in page])
    ids = [row["id"] for row in seen]
    assert len(ids) == len(set(ids)), "a row was shown twice"
    assert {row.pk for row in existing} <= set(ids), "a row that was there from the start was skipped"
    assert seen == sorted(seen, key=key), "pages are not in the list's order"
    assert set(ids) <= {row.pk for row in existing + added}


def test_previous_walks_back_over_the_same_pages(api_for, province_admin):
    contributions(14)
    api = api_for(province_admin)
    pages, last = walk(api, "/api/v1/contributions/", {"page_size": 4})
    back, body = [last["results"]], last
    while body["previous"]:
        body = api.get(body["previous"]).json()
        back.append(body["results"])
    assert back[::-1] == pages


def test_a_deep_cursor_page_costs_what_the_first_page_costs(api_for, province_admin):
    contributions(30)
    api = api_for(province_admin)
    api.get("/api/v1/contributions/", {"cursor": "", "page_size": 3})  # warm the session and the user
    with CaptureQueriesContext(connection) as first:
        body = api.get("/api/v1/contributions/", {"cursor": "", "page_size": 3}).json()
    for _ in range(6):
        body = api.get(body["next"]).json()
    with CaptureQueriesContext(connection) as deep:
        api.get(body["next"])
    assert len(deep) == len(first)
    page_sql = [q["sql"] for q in deep.captured_queries if "ORDER BY" in q["sql"]][-1]
    assert "OFFSET" not in page_sql.upper()  # found by the sort values, not by skipping rows
    assert '"employers_employer"."id" >' in page_sql  # the position bounds the joined employer table too


def test_refund_results_walk_by_cursor(api_for, caseworker, django_capture_on_commit_callbacks):
    for employer in employers(7):
        for month in range(1, 13):
            ContributionFactory(employer=employer, period=date(2024, month, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(user=caseworker, year=2025, region_code="220102")
    pages, _ = walk(api_for(caseworker), f"/api/v1/refund-runs/{run.pk}/results/", {"page_size": 3})
    employer_ids = [row["employer_id"] for page in pages for row in page]
    assert len(pages) == 3 and employer_ids == sorted(employer_ids) and len(set(employer_ids)) == 7


def test_without_a_cursor_the_list_pages_by_number_as_before(api_for, province_admin):
    people(3)
    body = api_for(province_admin).get("/api/v1/applicants/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 3 and body["count_exact"] is True and len(body["results"]) == 1
    assert body["previous"] and "cursor" not in body["previous"]


def tampered(cursor: str, **change) -> str:
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload.update(change)
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize("make_cursor", [
    lambda good: "not-base64!",
    lambda good: base64.urlsafe_b64encode(b"[1, 2]").decode(),
    lambda good: tampered(good, o="-name,id"),  # made for another sort
    lambda good: tampered(good, v=["x"]),  # wrong number of values
    lambda good: tampered(good, v=["not a date", 1]),
    lambda good: tampered(good, v=[None, 1]),
], ids=["garbage", "not-an-object", "other-sort", "short", "bad-value", "null"])
def test_a_bad_cursor_is_a_field_error(api_for, province_admin, make_cursor):
    contributions(4)
    api = api_for(province_admin)
    following = api.get("/api/v1/contributions/", {"cursor": "", "page_size": 2}).json()["next"]
    good = parse_qs(urlsplit(following).query)["cursor"][0]
    response = api.get("/api/v1/contributions/", {"cursor": make_cursor(good)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["fields"]["cursor"][0]["code"] == "invalid_cursor"


def test_the_schema_documents_the_cursor_on_the_big_lists_only(api_for, province_admin):
    schema = api_for(province_admin).get("/api/schema/", {"format": "json"}).json()

    def parameters(path):
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    for path in ["/api/v1/applicants/", "/api/v1/employers/", "/api/v1/contributions/",
                 "/api/v1/refund-runs/{id}/results/"]:
        assert {"cursor", "page", "page_size"} <= parameters(path), path
    assert "cursor" not in parameters("/api/v1/training/programs/")


def test_contribution_rows_are_unique_by_period_and_employer():
    """The contribution cursor has no id tie-breaker because (employer, period) is unique: keep it so."""
    names = [c.fields for c in Contribution._meta.constraints if getattr(c, "fields", None)]
    assert ("employer", "period") in [tuple(n) for n in names]
