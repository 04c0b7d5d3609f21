"""The UI through the test client: post a job, see the ranked matches, place a worker, record a follow-up,
the broker pages and the export."""

import re

import pytest
from django.urls import reverse

from apps.core.exceptions import ApplicationError
from apps.gig.models import Placement, Posting
from tests.factories import EmployerFactory
from tests.gig.conftest import START, make_broker, make_posting, make_worker

pytestmark = pytest.mark.django_db


def _token(page: str, action: str) -> str:
    form = page[page.index(f'action="{action}"'):]
    return re.search(r'name="form_token" value="([^"]+)"', form).group(1)


def test_post_match_place_follow_up(caseworker, client_for, villages):
    web = client_for(caseworker)
    employer = EmployerFactory(region_id="220102")
    broker = make_broker(caseworker)
    worker = make_worker(caseworker, region="220102001001")
    page = web.get(reverse("gig:posting-create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = web.post(reverse("gig:posting-create"), {
        "title": "外墙修补", "trade": "bricklayer", "employer": employer.pk, "pay": "260", "pay_unit": "day",
        "headcount": 2, "start_date": START.isoformat(), "end_date": "2026-04-10", "region": "220102001",
        "address": "幸福街 18 号", "form_token": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    posting = Posting.objects.get(title="外墙修补")
    detail = web.get(response["Location"]).content.decode()
    assert "工种一致：瓦工" in detail and "区划：同乡镇（街道）" in detail
    place_url = reverse("gig:posting-place", args=[posting.pk])
    placed = web.post(place_url, {"availability": worker.pk, "start_date": START.isoformat(), "broker": broker.pk,
                                  "form_token": _token(detail, place_url)})
    assert placed.status_code == 302
    placement = Placement.objects.get()
    assert placement.broker == broker
    page = web.get(reverse("gig:posting-detail", args=[posting.pk])).content.decode()
    follow_url = reverse("gig:follow-up-create", args=[placement.pk])
    web.post(follow_url, {"visited_on": START.isoformat(), "outcome": "on_job", "pay_received": "on",
                          "form_token": _token(page, follow_url)})
    placement.refresh_from_db()
    assert placement.outcome == "on_job" and placement.pay_received is True
    broker_page = web.get(reverse("gig:broker-detail", args=[broker.pk])).content.decode()
    assert 'id="placed">1<' in broker_page
    export = web.get(reverse("gig:performance") + "?format=csv")
    assert export.status_code == 200 and "撮合上岗" in export.content.decode("utf-8-sig")
    assert web.get(reverse("gig:performance") + "?format=xlsx").status_code == 200


def test_a_broker_form_refuses_a_county(caseworker, client_for, villages):
    web = client_for(caseworker)
    page = web.get(reverse("gig:broker-create")).content.decode()
    assert 'value="220102001001"' in page and 'value="220102"' not in page


def test_lists_open_and_other_region_gets_404(caseworker, other_caseworker, client_for, villages):
    web = client_for(caseworker)
    worker = make_worker(caseworker)
    for name in ("gig:posting-list", "gig:availability-list", "gig:broker-list", "gig:performance",
                 "gig:availability-create", "gig:broker-create", "gig:posting-create"):
        assert web.get(reverse(name)).status_code == 200, name
    assert web.get(reverse("gig:availability-detail", args=[worker.pk])).status_code == 200
    other = client_for(other_caseworker)
    assert other.get(reverse("gig:availability-detail", args=[worker.pk])).status_code == 404


def test_deregistering_a_broker_stops_their_placements(caseworker, other_caseworker, client_for, villages):
    broker = make_broker(caseworker)
    url = reverse("gig:broker-deregister", args=[broker.pk])
    assert client_for(other_caseworker).post(url).status_code == 404
    web = client_for(caseworker)
    assert web.post(url, {"note": "外出务工"}).status_code == 302
    broker.refresh_from_db()
    assert broker.status == "deregistered" and broker.note == "外出务工"
    with pytest.raises(ApplicationError) as error:
        make_posting(caseworker, broker=broker)
    assert error.value.code == "broker_not_active"
    assert 'id="deregister"' not in web.get(reverse("gig:broker-detail", args=[broker.pk])).content.decode()
