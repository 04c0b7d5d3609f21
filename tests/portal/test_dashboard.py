"""The home dashboard shows every domain, scoped to the viewer, in a bounded number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applicants.models import DuplicateCandidate, Person
from apps.core import registry
from apps.portal import worklist
from tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_has_a_tile_per_domain_with_links(client_for, supervisor):
    response = client_for(supervisor).get(reverse("dashboard"))
    labels = [tile["label"] for tile in response.context["tiles"]]
    assert labels == ["待处理主动发现", "培训中学员", "在营托育机构", "困境儿童逾期走访", "暂停医保直接结算", "决定核验不一致"]
    body = response.content.decode()
    for url in ("eligibility:match-list", "training:dashboard", "childcare:dashboard", "child_welfare:dashboard"):
        assert f'href="{reverse(url)}"' in body


def test_dashboard_query_count_does_not_grow_with_data(client_for, caseworker, django_assert_max_num_queries):
    client = client_for(caseworker)
    client.get(reverse("dashboard"))  # warm up sessions and content types
    # The documented cost: the page's own and its tiles' queries (17), plus one COUNT per 待办 source the user
    # has (docs/architecture.md, "The 待办 worklist") — a new source adds one query, never one per row.
    from apps.portal.worklist import sources_for

    with django_assert_max_num_queries(17 + len(sources_for(caseworker))) as captured:
        client.get(reverse("dashboard"))
    baseline = len(captured)
    for _ in range(5):
        EmployerFactory(region_id="220102")
        PersonFactory(region_id="220102")
    with django_assert_max_num_queries(baseline):
        client.get(reverse("dashboard"))


def test_headline_figures_and_charts_come_from_the_registries(client_for, caseworker):
    EmployerFactory(region_id="220102", serious_dishonesty=True)
    EmployerFactory(region_id="220204")
    response = client_for(caseworker).get(reverse("dashboard"))
    stats = {stat["label"]: stat["value"] for stat in response.context["stats"]}
    assert stats == {"登记人员": 0, "用人单位": 1, "严重失信单位": 1}
    charts = {chart["key"]: chart["data"] for chart in response.context["charts"]}
    assert charts["employers-region"] == {"labels": ["南关区"], "values": [1]}
    assert charts["employers-type"] == {"labels": ["企业"], "values": [1]}
    assert 'id="chart-employers-region"' in response.content.decode()


def test_worklist_shows_each_registered_source_for_the_user(client_for, caseworker, monkeypatch):
    seen = []

    def people(user, today):
        seen.append((user, today))
        return Person.objects.filter(region_id="220102").order_by("id")

    def item(person):
        return registry.WorkItem(what=f"待办{person.name}", why="测试", url="/x/")

    for n in range(8):
        PersonFactory(region_id="220102", name=f"人{n}")
    monkeypatch.setattr(registry, "WORKLIST_SOURCES", {})  # only the two sources of this test
    monkeypatch.setitem(registry.WORKLIST_SOURCES, "test.items", registry.WorklistSource(
        key="test.items", module="testing", label="测试待办", queryset=people, item=item, order=1))
    monkeypatch.setitem(registry.WORKLIST_SOURCES, "test.empty", registry.WorklistSource(
        key="test.empty", module="empty", label="没有事项", queryset=lambda user, today: Person.objects.none(),
        item=item))
    response = client_for(caseworker).get(reverse("dashboard"))
    groups = response.context["worklist"]["groups"]
    assert [group["module"] for group in groups] == ["testing"]  # an empty source shows nothing
    assert groups[0]["count"] == 8 and len(groups[0]["items"]) == worklist.DASHBOARD_ITEMS_PER_MODULE
    assert seen[0][0] == caseworker and seen[0][1] == timezone.localdate()
    assert "待办人0" in response.content.decode()


def test_open_duplicate_reviews_are_on_the_worklist_of_their_region_only(client_for, caseworker, other_caseworker):
    first = PersonFactory(region_id="220102", name="孙立", phone="13700000000")
    second = PersonFactory(region_id="220102", name="孙立", phone="13700000000", birth_date=first.birth_date)
    DuplicateCandidate.objects.create(person=second, other=first, other_id_number=first.id_number)
    groups = {g["module"]: g for g in client_for(caseworker).get(reverse("dashboard")).context["worklist"]["groups"]}
    assert groups["applicants"]["count"] == 1
    assert groups["applicants"]["items"][0]["url"] == reverse("applicants:duplicates")
    assert groups["applicants"]["items"][0]["source"] == "applicants.duplicates"
    others = {g["module"] for g in client_for(other_caseworker).get(reverse("dashboard")).context["worklist"]["groups"]}
    assert "applicants" not in others
