"""CappedCountPaginator: exact counts under LIST_EXACT_COUNT_LIMIT, an estimate or a lower bound above it,
the same in the UI lists and the API. A small limit stands in for the million rows."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.urls import reverse

from apps.applicants.models import Person
from apps.core.pagination import CappedCountPaginator
from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db

ESTIMATES = connection.vendor == "postgresql"


@pytest.fixture
def people():
    return [PersonFactory() for _ in range(7)]


def test_exact_count_under_the_limit(people, django_assert_num_queries):
    paginator = CappedCountPaginator(Person.objects.order_by("id"), 3, exact_limit=7)
    with django_assert_num_queries(2):  # one bounded count, one page — as Django's Paginator
        page = paginator.page(3)
        assert paginator.count == 7 and paginator.count_is_exact and not paginator.count_is_estimate
        assert paginator.num_pages == 3 and list(page) == people[6:] and not page.has_next()
    with pytest.raises(EmptyPage):
        paginator.page(4)


def test_over_the_limit_count_is_not_exact_and_pages_still_work(people, django_assert_max_num_queries):
    paginator = CappedCountPaginator(Person.objects.order_by("id"), 3, exact_limit=4)
    with django_assert_max_num_queries(3):  # bounded count, EXPLAIN (PostgreSQL only), page
        page = paginator.page(2)
        assert not paginator.count_is_exact and paginator.count_is_estimate == ESTIMATES
        assert paginator.count >= 5  # never below what the bounded count saw
        assert list(page) == people[3:6] and page.has_next() and page.has_previous()
        assert page.start_index() == 4 and page.end_index() == 6
    last = paginator.page(3)
    assert list(last) == people[6:] and not last.has_next() and last.end_index() == 7
    with pytest.raises(EmptyPage):  # the end is found by fetching, not by the total
        paginator.page(4)


def test_ui_list_says_exact_total_under_the_limit(client_for, caseworker, settings):
    settings.LIST_EXACT_COUNT_LIMIT = 100
    for _ in range(3):
        PersonFactory()
    html = client_for(caseworker).get(reverse("applicants:list")).content.decode()
    assert "共 3 条" in html


def test_ui_list_over_the_limit_shows_no_exact_total(client_for, caseworker, settings):
    settings.LIST_EXACT_COUNT_LIMIT = 2
    for _ in range(4):
        EmployerFactory(region_id="220102")
    html = client_for(caseworker).get(reverse("employers:list")).content.decode()
    assert "共 4 条" not in html
    assert ("约 " if ESTIMATES else "超过 2 条") in html and "第 1 页" in html


def test_api_count_exact_flag(api_for, caseworker, settings):
    for _ in range(4):
        PersonFactory()
    api = api_for(caseworker)
    settings.LIST_EXACT_COUNT_LIMIT = 100
    body = api.get("/api/v1/applicants/").json()
    assert body["count"] == 4 and body["count_exact"] is True
    settings.LIST_EXACT_COUNT_LIMIT = 2
    body = api.get("/api/v1/applicants/", {"page_size": 2}).json()
    assert body["count_exact"] is False and body["count"] >= 3 and body["next"] and len(body["results"]) == 2
    last = api.get("/api/v1/applicants/", {"page_size": 2, "page": 2}).json()
    assert last["next"] is None and len(last["results"]) == 2
    assert api.get("/api/v1/applicants/", {"page_size": 2, "page": 3}).status_code == 404


@pytest.mark.django_db
def test_sorting_by_a_non_unique_column_breaks_ties_by_id_so_pages_do_not_shuffle():
    from datetime import date

    from apps.applicants.filters import PersonFilter
    from apps.applicants.models import Person
    from tests.factories import PersonFactory

    people = [PersonFactory(birth=date(1990, 1, 1)) for _ in range(4)]
    ascending = PersonFilter({"ordering": "birth_date"}, queryset=Person.objects.all()).qs
    descending = PersonFilter({"ordering": "-birth_date"}, queryset=Person.objects.all()).qs
    assert list(ascending) == sorted(people, key=lambda p: p.pk)
    assert list(descending) == sorted(people, key=lambda p: -p.pk)
