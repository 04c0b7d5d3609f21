"""Every list's pagination bar (issue 15): page numbers, a page-size choice, both keeping filters and sort."""

import re

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return PersonFactory.create_batch(130, region_id="220102", name="赵页测")


def links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'class="page-link" href="([^"]+)"', html)]


@pytest.mark.parametrize(("asked", "rows"), [("", 50), ("20", 20), ("100", 100), ("999", 50), ("x", 50),
                                             ("0", 50), ("-20", 50)])
def test_the_page_size_is_one_the_lists_offer_or_the_default(asked, rows, people, caseworker, client_for):
    response = client_for(caseworker).get(reverse("applicants:list"), {"page_size": asked})
    assert response.status_code == 200 and len(response.context["page_obj"].object_list) == rows


def test_page_numbers_and_sizes_keep_the_filters_and_the_sort(people, caseworker, client_for):
    html = client_for(caseworker).get(reverse("applicants:list"),
                                      {"q": "赵页", "ordering": "-birth_date", "page": "3", "page_size": "20"}
                                      ).content.decode()
    numbers = links(html)
    assert "共 130 条，第 3 / 7 页" in html
    assert all("q=%E8%B5%B5%E9%A1%B5" in link and "ordering=-birth_date" in link for link in numbers)
    pages = [re.search(r"page=(\d+)", link).group(1) for link in numbers if "page=" in link]
    assert pages == ["2", "1", "2", "4", "5", "6", "7", "4"]  # 上一页, 1, 2, [3], 4 … 7, 下一页
    assert '<li class="page-item active" aria-current="page"><span class="page-link">3</span>' in html
    sizes = re.findall(r'<a class="mx-1" href="([^"]*page_size=(\d+)[^"]*)"', html)
    assert sorted(size for _, size in sizes) == ["100", "50"]  # 20 is the current one, not a link
    assert all("page=" not in href.replace("page_size", "") for href, _ in sizes)  # a new size starts at page 1


def test_far_pages_are_elided(people, caseworker, client_for):
    PersonFactory.create_batch(70, region_id="220102", name="赵页测")  # 200 people: 10 pages of 20
    html = client_for(caseworker).get(reverse("applicants:list"), {"page_size": "20", "page": "1"}).content.decode()
    pages = [re.search(r"page=(\d+)", link).group(1) for link in links(html) if "page=" in link]
    assert pages == ["2", "3", "10", "2"] and "…" in html  # [1], 2, 3, …, 10, 下一页
