"""The one 待办 list: the /worklist/ page (merged by urgency, paged, by module), the top of 工作台, the counts on
the menu (bounded queries whatever the data, cached per user, dropped on the user's own write) and who sees it."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.portal import worklist
from tests.factories import UserFactory
from tests.portal import worklist_world as w
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'href="([^"]+)"[^>]*><i class="bi [^"]+"></i>([^<]+)</a>\s*<span class="badge rounded-pill nav-badge">(\d+\+?)')
TOP_TOTAL = re.compile(r'class="btn btn-sm btn-outline-primary worklist-total"[^>]*>.*?<span class="badge text-bg-danger">(\d+\+?)</span>', re.S)


def _every_kind(caseworker, supervisor, today, n=1):
    """n items of each kind the caseworker or the supervisor sees."""
    for _ in range(n):
        w.refund_run(maker=caseworker)
        w.childcare_claim(maker=caseworker)
        w.institution(certified_to=today + timedelta(days=5))
        w.training_claim(maker=caseworker)
        w.follow_up(due=today - timedelta(days=2))
        w.provider_of(accredited_until=today)
        w.payment_batch(maker=caseworker)
        w.failed_line(maker=caseworker)
        w.case(worker=caseworker, due=today - timedelta(days=1))
        w.case(worker=caseworker, due=today + timedelta(days=1))
        w.escalation(worker=caseworker, due=today - timedelta(days=3))
        w.lead()
        w.import_batch(maker=caseworker)
        w.duplicate()


def test_the_page_lists_everything_in_urgency_order_and_pages(client_for, caseworker):
    today = timezone.localdate()
    w.lead()  # waiting, no deadline
    w.follow_up(due=today + timedelta(days=2))  # upcoming
    w.case(worker=caseworker, due=today - timedelta(days=4))  # overdue 4 days
    w.follow_up(due=today - timedelta(days=9))  # overdue 9 days
    w.case(worker=caseworker, due=today)  # due today
    page = client_for(caseworker).get(reverse("worklist")).context["page_obj"]
    assert [(item["state"], item["source"]) for item in page.object_list] == [
        ("overdue", "training.follow_up_due"), ("overdue", "child_welfare.visit_overdue"),
        ("today", "child_welfare.visit_upcoming"), ("waiting", "eligibility.leads"),
        ("upcoming", "training.follow_up_due")]
    for n in range(25):
        w.follow_up(due=today - timedelta(days=100 + n))
    web = client_for(caseworker)
    first = web.get(reverse("worklist")).context["page_obj"]
    second = web.get(reverse("worklist") + "?page=2").context["page_obj"]
    assert first.paginator.count == 30 and len(first.object_list) == 20 and len(second.object_list) == 10
    shown = [item["sort"] for item in [*first.object_list, *second.object_list]]
    assert shown == sorted(shown) and len(shown) == 30


def test_the_module_filter_narrows_the_list_and_names_every_module(client_for, caseworker):
    today = timezone.localdate()
    w.lead()
    w.follow_up(due=today)
    web = client_for(caseworker)
    response = web.get(reverse("worklist") + "?module=training")
    assert [item["module"] for item in response.context["page_obj"].object_list] == ["training"]
    assert {m["module"]: m["count"] for m in response.context["modules"]} == {"eligibility": 1, "training": 1}
    body = response.content.decode()
    assert "职业技能培训" in body and "主动发现" in body
    everything = web.get(reverse("worklist") + "?module=<script>")  # unknown: everything, nothing echoed
    assert len(everything.context["page_obj"].object_list) == 2 and "<script>" not in everything.content.decode()


def test_an_item_says_what_why_and_when_and_links_to_its_record(client_for, caseworker):
    today = timezone.localdate()
    follow_up = w.follow_up(due=today - timedelta(days=3))
    body = client_for(caseworker).get(reverse("worklist")).content.decode()
    assert f'href="{reverse("training:enrollment-detail", args=[follow_up.enrollment_id])}"' in body
    assert "逾期 3 天" in body and "就业回访" in body and f"期限 {follow_up.due_on:%Y-%m-%d}" in body
    assert "worklist-overdue" in body


def test_the_dashboard_opens_on_the_worklist_grouped_by_module(client_for, caseworker, supervisor):
    today = timezone.localdate()
    _every_kind(caseworker, supervisor, today)
    response = client_for(supervisor).get(reverse("dashboard"))
    top = response.context["worklist"]
    modules = [group["module"] for group in top["groups"]]
    assert modules[0] == "child_welfare"  # the most urgent item (an escalation 3 days overdue) leads
    assert set(modules) == {"refunds", "childcare", "training", "payments", "child_welfare", "applicants"}
    assert top["total"] == sum(group["count"] for group in top["groups"])
    body = response.content.decode()
    assert body.index('id="worklist"') < body.index("stat-card")  # on top of the page, before the figures


def test_dashboard_queries_do_not_grow_with_worklist_rows(client_for, caseworker, supervisor):
    today = timezone.localdate()
    web = client_for(supervisor)
    assert_queries_constant(lambda: web.get(reverse("dashboard")),
                            lambda k: _every_kind(caseworker, supervisor, today, n=k), n=2)


def test_the_worklist_page_queries_do_not_grow_with_rows(client_for, caseworker, supervisor):
    today = timezone.localdate()
    web = client_for(caseworker)
    assert_queries_constant(lambda: web.get(reverse("worklist")),
                            lambda k: _every_kind(caseworker, supervisor, today, n=k), n=2)


def test_a_pages_menu_counts_in_a_bounded_number_of_queries_and_then_from_the_cache(client_for, caseworker,
                                                                                    supervisor):
    today = timezone.localdate()
    web = client_for(caseworker)

    def read_uncached():
        cache.clear()  # every read counts afresh: the queries must still not grow
        web.get(reverse("employers:list"))

    assert_queries_constant(read_uncached, lambda k: _every_kind(caseworker, supervisor, today, n=k), n=2,
                            at_most=len(worklist.sources_for(caseworker)) + 12)
    web.get(reverse("employers:list"))
    with CaptureQueriesContext(connection) as uncached:
        cache.clear()
        web.get(reverse("employers:list"))
    with CaptureQueriesContext(connection) as cached:
        web.get(reverse("employers:list"))
    assert len(uncached) - len(cached) == len(worklist.sources_for(caseworker))  # one COUNT per source, once


def test_the_menu_shows_a_count_beside_each_module_and_a_total(client_for, caseworker, supervisor):
    today = timezone.localdate()
    w.lead()
    w.lead()
    w.follow_up(due=today)
    w.import_batch(maker=caseworker)  # 数据导入 has no entry of its own: counted in 待办 only
    body = client_for(caseworker).get(reverse("employers:list")).content.decode()
    badges = {label: count for _href, label, count in BADGE.findall(body)}
    assert badges == {"待办": "4", "主动发现": "2", "职业技能培训": "1"}
    assert TOP_TOTAL.search(body).group(1) == "4"


def test_the_counts_are_cached_and_a_users_own_write_drops_them(client_for, caseworker, supervisor, settings):
    today = timezone.localdate()
    web = client_for(caseworker)
    w.lead()
    assert worklist.counts(caseworker, today)["eligibility.leads"] == 1
    w.lead()
    assert worklist.counts(caseworker, today)["eligibility.leads"] == 1  # cached: a short while behind
    web.post(reverse("eligibility:match-resolve", args=[w.lead().pk]), {"status": "handled", "note": "已办理"})
    assert worklist.counts(caseworker, today)["eligibility.leads"] == 2  # my write dropped my counts
    assert settings.WORKLIST_COUNTS_CACHE_SECONDS <= 300  # never wrong for long
    w.lead()
    web.get(reverse("worklist"))  # the 待办 page counts afresh (and refreshes the menu)
    assert worklist.counts(caseworker, today)["eligibility.leads"] == 3


def test_counts_stop_at_the_limit(client_for, caseworker, settings):
    settings.WORKLIST_COUNT_LIMIT = 2
    for _ in range(4):
        w.lead()
    response = client_for(caseworker).get(reverse("worklist"))
    assert response.context["page_obj"].paginator.count == 2
    assert response.context["total"] == "2+"


@pytest.mark.parametrize("role", [User.Role.AUDITOR, User.Role.SECURITY_ADMIN])
def test_roles_without_a_worklist_are_refused_and_see_no_counts(client_for, role):
    user = UserFactory(username=f"wl_{role}", role=role, region_id="220000", is_staff=True)
    w.lead()
    web = client_for(user)
    assert web.get(reverse("worklist")).status_code == 403
    assert worklist.sources_for(user) == [] and worklist.counts(user, timezone.localdate()) == {}
    page = web.get(reverse("access-log") if role == User.Role.AUDITOR else reverse("admin:index"))
    assert "nav-badge" not in page.content.decode() and "worklist-total" not in page.content.decode()


def test_an_api_client_has_no_worklist(client_for, integration_client):
    assert client_for(integration_client).get(reverse("worklist")).status_code == 403
    assert worklist.sources_for(integration_client) == []
