"""The caseworker pages through the Django test client: register an institution and a staff member, list and remove
a 黑名单 entry and publish it, submit a claim (a listed institution refused on the page), four eyes on the page, the
indicators page and its CSV/XLSX; other region 404; list pages in a constant number of queries."""

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.core.demo import make_uscc
from apps.eldercare import services
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember
from tests.eldercare.conftest import make_institution, make_staff
from tests.factories import PersonFactory
from tests.queries import assert_queries_constant

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def test_register_institution_and_staff(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("eldercare:institution-create"))
    assert page.status_code == 200
    bad = client.post(reverse("eldercare:institution-create"), {
        "name": "南关区福寿养老院", "uscc": "91220102MA0Y3L6X6X", "ownership": "private", "region": "220102",
        "beds": 120, "older_people_served": 96, "form_token": _token(page)})
    assert bad.status_code == 200 and Institution.objects.count() == 0
    page = client.get(reverse("eldercare:institution-create"))
    response = client.post(reverse("eldercare:institution-create"), {
        "name": "南关区福寿养老院", "uscc": make_uscc("220102", 12345), "ownership": "private", "region": "220102",
        "beds": 120, "older_people_served": 96, "form_token": _token(page)})
    institution = Institution.objects.get()
    assert response.status_code == 302 and response.url == reverse("eldercare:institution-detail",
                                                                    args=[institution.pk])
    person = PersonFactory(region_id="220102")
    page = client.get(reverse("eldercare:staff-create") + f"?institution={institution.pk}")
    response = client.post(reverse("eldercare:staff-create"), {
        "institution": institution.pk, "id_number": person.id_number, "role": "social_worker", "full_time": "on",
        "social_worker_qualified": "on", "skill_level": "senior", "start_date": "2025-03-01",
        "form_token": _token(page)})
    staff = StaffMember.objects.get()
    assert response.status_code == 302 and staff.person == person and staff.social_worker_qualified
    detail = client.get(reverse("eldercare:institution-detail", args=[institution.pk])).content.decode()
    assert person.name in detail and person.id_number not in detail and person.masked_id_number in detail


def test_claim_on_the_staff_page_and_the_blacklist_refusal(client_for, caseworker, institution, staff):
    client = client_for(caseworker)
    page = client.get(reverse("eldercare:staff-detail", args=[staff.pk]))
    placed = client.post(reverse("eldercare:claim-create", args=[staff.pk]), {
        "kind": "post_subsidy", "claim_date": "2026-03-01", "months": 6, "form_token": _token(page)})
    claim = IncentiveClaim.objects.get()
    assert placed.status_code == 302 and placed.url == reverse("eldercare:claim-detail", args=[claim.pk])
    detail = client.get(placed.url).content.decode()
    assert "1,800.00" in detail and "300.00 × 6" in detail and "吉民发〔2024〕33号" in detail
    services.blacklist_add(user=caseworker, institution=institution, reason="虐待老年人", source="南民罚〔2026〕3号",
                           listed_on=date(2026, 3, 1))
    page = client.get(reverse("eldercare:staff-detail", args=[staff.pk]))
    refused = client.post(reverse("eldercare:claim-create", args=[staff.pk]), {
        "kind": "post_subsidy", "claim_date": "2026-03-01", "months": 6, "form_token": _token(page)})
    assert refused.status_code == 400 and "严重失信名单" in refused.content.decode()
    assert IncentiveClaim.objects.count() == 1


def test_double_submitted_claim_recorded_once(client_for, caseworker, staff):
    client = client_for(caseworker)
    token = _token(client.get(reverse("eldercare:staff-detail", args=[staff.pk])))
    data = {"kind": "post_subsidy", "claim_date": "2026-03-01", "months": 6, "form_token": token}
    first = client.post(reverse("eldercare:claim-create", args=[staff.pk]), data)
    second = client.post(reverse("eldercare:claim-create", args=[staff.pk]), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert IncentiveClaim.objects.count() == 1


def test_four_eyes_on_the_claim_page(client_for, caseworker, supervisor, staff):
    claim = services.claim_submit(staff=staff, user=supervisor, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                  months=1)
    client = client_for(supervisor)
    page = client.get(reverse("eldercare:claim-detail", args=[claim.pk])).content.decode()
    assert "disabled" in page  # the maker's buttons are drawn disabled with the reason
    refused = client.post(reverse("eldercare:claim-review", args=[claim.pk]), {"action": "approve"})
    assert refused.status_code == 403
    claim.refresh_from_db()
    assert claim.status == IncentiveClaim.Status.SUBMITTED


def test_blacklist_pages_publish_and_remove(client_for, caseworker, institution):
    client = client_for(caseworker)
    page = client.get(reverse("eldercare:blacklist-create"))
    response = client.post(reverse("eldercare:blacklist-create"), {
        "subject": "institution", "institution": institution.pk, "reason": "虐待老年人", "source": "南民罚〔2026〕3号",
        "listed_on": "2026-01-10", "form_token": _token(page)})
    entry = BlacklistEntry.objects.get()
    assert response.status_code == 302
    assert "虐待老年人" in client.get(reverse("eldercare:blacklist-list")).content.decode()
    assert client.post(reverse("eldercare:blacklist-publish", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.publicity_ends_on is not None
    detail = client.get(reverse("eldercare:blacklist-detail", args=[entry.pk])).content.decode()
    public = client.get(re.search(r'<a href="([^"]+)" id="public-link"', detail).group(1))
    assert public.status_code == 200 and institution.name in public.content.decode()
    client.post(reverse("eldercare:blacklist-remove", args=[entry.pk]), {"removed_on": "2027-01-10"})
    entry.refresh_from_db()
    assert entry.removed_on == date(2027, 1, 10)


def test_indicator_page_and_exports(client_for, caseworker):
    institution = make_institution(caseworker, beds=200, older=1500)
    make_staff(caseworker, institution, social_worker_qualified=True, role="social_worker")
    make_staff(caseworker, institution, social_worker_qualified=True, role="social_worker")
    client = client_for(caseworker)
    page = client.get(reverse("eldercare:indicators")).content.decode()
    assert "1.33" in page and "1.00" in page  # 2 × 1000 / 1500; 2 × 100 / 200
    csv = client.get(reverse("eldercare:indicators") + "?format=csv")
    assert csv.status_code == 200 and "每千名老年人社会工作者" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("eldercare:indicators") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("name", ["eldercare:institution-detail", "eldercare:staff-detail",
                                  "eldercare:blacklist-detail", "eldercare:claim-detail"])
def test_other_region_gets_404(client_for, caseworker, other_caseworker, staff, name):
    entry = services.blacklist_add(user=caseworker, person=staff.person, reason="x", source="y",
                                   listed_on=date(2026, 1, 1))
    services.blacklist_remove(entry=entry, user=caseworker, removed_on=date(2026, 2, 1))
    claim = services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                  months=1)
    pk = {"eldercare:institution-detail": staff.institution_id, "eldercare:staff-detail": staff.pk,
          "eldercare:blacklist-detail": entry.pk, "eldercare:claim-detail": claim.pk}[name]
    assert client_for(other_caseworker).get(reverse(name, args=[pk])).status_code == 404
    assert client_for(caseworker).get(reverse(name, args=[pk])).status_code == 200


def test_other_region_lists_are_empty(client_for, caseworker, other_caseworker, staff):
    client = client_for(other_caseworker)
    for name in ("eldercare:institution-list", "eldercare:staff-list", "eldercare:claim-list"):
        assert staff.person.name not in client.get(reverse(name)).content.decode()


def _list_reader(client, url):
    def read():
        response = client.get(url)
        assert response.status_code == 200
        return response
    return read


@pytest.mark.parametrize("name", ["eldercare:institution-list", "eldercare:staff-list", "eldercare:claim-list",
                                  "eldercare:blacklist-list", "eldercare:indicators"])
def test_list_pages_read_a_constant_number_of_queries(client_for, caseworker, name):
    client = client_for(caseworker)

    def add(k):
        for _ in range(k):
            institution = make_institution(caseworker)
            staff = make_staff(caseworker, institution, social_worker_qualified=True)
            services.claim_submit(staff=staff, user=caseworker, kind="post_subsidy", claim_date=date(2026, 3, 1),
                                  months=1)
            services.blacklist_add(user=caseworker, person=staff.person, reason="x", source="y",
                                   listed_on=date(2026, 4, 1))

    assert_queries_constant(_list_reader(client, reverse(name)), add, n=2)


def test_double_submitted_institution_form_records_once(client_for, caseworker):
    client = client_for(caseworker)
    token = _token(client.get(reverse("eldercare:institution-create")))
    data = {"name": "南关区康乐养老院", "uscc": make_uscc("220102", 22222), "ownership": "public", "region": "220102",
            "beds": 50, "older_people_served": 40, "form_token": token}
    first = client.post(reverse("eldercare:institution-create"), data)
    second = client.post(reverse("eldercare:institution-create"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Institution.objects.filter(name="南关区康乐养老院").count() == 1


def test_institution_form_refuses_a_region_outside_the_users(client_for, caseworker):
    client = client_for(caseworker)
    token = _token(client.get(reverse("eldercare:institution-create")))
    response = client.post(reverse("eldercare:institution-create"), {
        "name": "船营区养老院", "uscc": make_uscc("220204", 33333), "region": "220204", "beds": 5,
        "older_people_served": 5, "ownership": "public", "form_token": token})
    assert response.status_code == 200 and not Institution.objects.filter(name="船营区养老院").exists()
