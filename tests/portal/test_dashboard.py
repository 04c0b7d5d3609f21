"""The home dashboard shows every domain, scoped to the viewer, in a bounded number of queries."""

import pytest
from django.urls import reverse

from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_has_a_tile_per_domain_with_links(client_for, supervisor):
    response = client_for(supervisor).get(reverse("dashboard"))
    labels = [tile["label"] for tile in response.context["tiles"]]
    assert labels == ["待处理主动发现", "培训中学员", "在营托育机构", "困境儿童逾期走访"]
    body = response.content.decode()
    for url in ("eligibility:match-list", "training:dashboard", "childcare:dashboard", "child_welfare:dashboard"):
        assert f'href="{reverse(url)}"' in body


def test_dashboard_query_count_does_not_grow_with_data(client_for, caseworker, django_assert_max_num_queries):
    client = client_for(caseworker)
    client.get(reverse("dashboard"))  # warm up sessions and content types
    with django_assert_max_num_queries(30) as captured:
        client.get(reverse("dashboard"))
    baseline = len(captured)
    for _ in range(5):
        EmployerFactory(region_id="220102")
        PersonFactory(region_id="220102")
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard"))
