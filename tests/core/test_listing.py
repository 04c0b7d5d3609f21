"""The lists' shared tools (apps/core/listing.py): facet counts (one GROUP BY per facet, whatever the number of
rows and choices), sort keys (the FilterSet's whitelist), saved filters (per user, validated again on apply)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.childcare.models import Institution
from apps.core.exceptions import ApplicationError
from apps.core.listing import LISTINGS, clean_querystring, saved_filter_delete, saved_filter_save
from apps.core.models import SavedFilter
from tests.childcare.factories import InstitutionFactory
from tests.conftest import login_verified
from tests.queries import assert_queries_constant

LIST = reverse("childcare:institution-list")


def chips(response, facet: str) -> dict[str, int]:
    found = next(f for f in response.context["facets"] if f.name == facet)
    return {choice.value: choice.count for choice in found.choices}


@pytest.fixture
def signed_in(client, caseworker):
    return login_verified(client, caseworker)


def test_facet_counts_are_one_group_by_per_facet(signed_in, caseworker):
    statuses = [Institution.Status.OPERATING, Institution.Status.SUSPENDED, Institution.Status.CLOSED]

    def add(k):
        for i in range(k):
            InstitutionFactory(status=statuses[i % 3])

    response = assert_queries_constant(lambda: signed_in.get(LIST), add, n=3)
    assert response.status_code == 200
    assert chips(response, "status") == {"operating": 3, "suspended": 3, "closed": 3}


def test_each_facet_is_exactly_one_grouped_query(signed_in):
    for status in ("operating", "suspended"):
        InstitutionFactory(status=status)
    signed_in.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        signed_in.get(LIST)
    facets = LISTINGS["childcare-institutions"].facets
    grouped = {facet: [q["sql"] for q in captured.captured_queries
                       if re.match(rf'SELECT "childcare_institution"\."{facet}" AS "{facet}", COUNT\(', q["sql"])
                       and " GROUP BY " in q["sql"]] for facet in facets}
    assert {facet: len(sqls) for facet, sqls in grouped.items()} == {"status": 1, "category": 1}, grouped


def test_a_facet_counts_under_the_other_filters_but_not_its_own(signed_in):
    InstitutionFactory(status="operating", category="other")
    InstitutionFactory(status="operating", category="private_inclusive")
    InstitutionFactory(status="closed", category="other")
    response = signed_in.get(LIST, {"category": "other", "status": "operating"})
    assert chips(response, "status") == {"operating": 1, "suspended": 0, "closed": 1}  # category applied
    assert chips(response, "category")["other"] == 1 and chips(response, "category")["private_inclusive"] == 1
    active = [c for f in response.context["facets"] if f.name == "status" for c in f.choices if c.active]
    assert [c.value for c in active] == ["operating"]
    assert "status=closed" in next(c.url for f in response.context["facets"] for c in f.choices if c.value == "closed")


def test_facets_count_only_the_users_region(signed_in):
    InstitutionFactory(status="operating")
    InstitutionFactory(status="operating", region_id="220204")  # 船营区: not the caseworker's
    assert chips(signed_in.get(LIST), "status")["operating"] == 1


def test_a_sort_key_outside_the_whitelist_is_a_400(signed_in):
    InstitutionFactory(name="乙园")
    InstitutionFactory(name="甲园")
    assert signed_in.get(LIST, {"ordering": "uscc"}).status_code == 400
    names = [i.name for i in signed_in.get(LIST, {"ordering": "-name"}).context["page_obj"].object_list]
    assert names == sorted(names, reverse=True)


def test_the_header_toggles_the_sort(signed_in):
    InstitutionFactory()
    html = signed_in.get(LIST, {"ordering": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html and "ordering=-name" in html


# --- saved filters ---------------------------------------------------------------------------------------

def test_save_apply_and_delete_a_filter(signed_in, caseworker):
    InstitutionFactory(status="closed", name="关了的园")
    InstitutionFactory(status="operating", name="开着的园")
    response = signed_in.post(reverse("saved-filter-save"), {
        "list_key": "childcare-institutions", "name": "已关闭", "querystring": "status=closed&page=3&bogus=1"})
    saved = SavedFilter.objects.get(user=caseworker)
    assert saved.querystring == "status=closed"  # no page number, no parameter the list does not know
    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=closed"
    page = signed_in.get(LIST, {"status": "closed"})
    link = next(s for s in page.context["saved_filters"])
    assert link.name == "已关闭" and link.active and link.url == f"{LIST}?status=closed"
    assert [i.name for i in page.context["page_obj"].object_list] == ["关了的园"]
    assert saved.history.count() == 1
    signed_in.post(reverse("saved-filter-delete", args=[saved.pk]))
    assert not SavedFilter.objects.exists()
    assert saved.history.count() == 2


def test_saving_the_same_name_again_replaces_it(caseworker):
    saved_filter_save(user=caseworker, list_key="childcare-institutions", name="我的", querystring="status=closed")
    saved_filter_save(user=caseworker, list_key="childcare-institutions", name="我的", querystring="status=operating")
    assert list(SavedFilter.objects.values_list("querystring", flat=True)) == ["status=operating"]


@pytest.mark.parametrize(("querystring", "code"), [
    ("status=nonsense", "invalid_filter"),
    ("ordering=uscc", "invalid_filter"),
])
def test_a_filter_that_does_not_validate_is_not_saved(caseworker, querystring, code):
    with pytest.raises(ApplicationError) as raised:
        saved_filter_save(user=caseworker, list_key="childcare-institutions", name="坏的", querystring=querystring)
    assert raised.value.code == code
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize(("list_key", "name", "code"), [
    ("nope", "x", "unknown_list"),
    ("refund-results", "x", "unknown_list"),  # a run's results: not a saved list
    ("childcare-institutions", "", "invalid_name"),
    ("childcare-institutions", "   ", "invalid_name"),
    ("childcare-institutions", "名" * 61, "invalid_name"),
])
def test_bad_saves_are_refused(caseworker, list_key, name, code):
    with pytest.raises(ApplicationError) as raised:
        saved_filter_save(user=caseworker, list_key=list_key, name=name, querystring="")
    assert raised.value.code == code


def test_a_name_of_sixty_characters_is_kept(caseworker):
    saved_filter_save(user=caseworker, list_key="childcare-institutions", name="名" * 60, querystring="")
    assert SavedFilter.objects.get().name == "名" * 60


def test_a_saved_filter_that_no_longer_validates_is_shown_without_a_link(signed_in, caseworker):
    SavedFilter.objects.create(user=caseworker, list_key="childcare-institutions", name="旧的",
                               querystring="status=archived")  # a choice that went away
    SavedFilter.objects.create(user=caseworker, list_key="childcare-institutions", name="多余参数",
                               querystring="status=closed&gone=1")
    links = {link.name: link.url for link in signed_in.get(LIST).context["saved_filters"]}
    assert links == {"旧的": None, "多余参数": f"{LIST}?status=closed"}
    assert "已失效" in signed_in.get(LIST).content.decode()


def test_saved_filters_belong_to_their_user(client, caseworker, other_caseworker):
    mine = saved_filter_save(user=caseworker, list_key="childcare-institutions", name="我的", querystring="")
    login_verified(client, other_caseworker)
    assert client.get(LIST).context["saved_filters"] == []
    assert client.post(reverse("saved-filter-delete", args=[mine.pk])).status_code == 404
    assert client.get(reverse("saved-filter-delete", args=[mine.pk])).status_code == 405
    with pytest.raises(ApplicationError):
        saved_filter_delete(user=other_caseworker, pk=mine.pk)
    assert SavedFilter.objects.filter(pk=mine.pk).exists()


def test_a_save_that_is_refused_says_so_on_the_list(signed_in):
    response = signed_in.post(reverse("saved-filter-save"), {
        "list_key": "childcare-institutions", "name": "", "querystring": "status=closed"}, follow=True)
    assert "请填写常用筛选的名称" in response.content.decode()
    assert not SavedFilter.objects.exists()


def test_an_unknown_list_key_is_a_404(signed_in):
    assert signed_in.post(reverse("saved-filter-save"), {"list_key": "x", "name": "a"}).status_code == 404


def test_clean_querystring_keeps_the_page_size_and_drops_the_page():
    listing = LISTINGS["applicants"]
    assert clean_querystring(listing, "q=张&page=2&page_size=100&ordering=-name") == "ordering=-name&page_size=100&q=张".replace(
        "张", "%E5%BC%A0")


def test_every_main_list_has_a_listing():
    assert {"applicants", "employers", "training-enrollments", "childcare-institutions", "childcare-claims",
            "child-welfare-cases", "refund-runs", "refund-results"} <= set(LISTINGS)
