"""The caseworker pages through the Django test client: create a post, place a person, refuse one without the tag,
renew and exit, start the month's run, the progress JSON, export CSV/XLSX, four eyes on the page; 404 elsewhere."""

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.core.models import AccessLog
from apps.public_posts.models import Placement, PublicPost, SubsidyRun
from tests.factories import PersonFactory, UserFactory
from tests.public_posts.conftest import difficult_person, make_post

pytestmark = pytest.mark.django_db


def _token(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def test_create_post_form(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("public_posts:post-create"))
    assert page.status_code == 200
    response = client.post(reverse("public_posts:post-create"), {
        "name": "治安协管员", "post_type": "public_security", "employer_name": "南关区综治中心", "region": "220102",
        "places": 2, "start_date": "2026-01-01", "form_token": _token(page)})
    post = PublicPost.objects.get()
    assert response.status_code == 302 and response.url == reverse("public_posts:post-detail", args=[post.pk])
    listing = client.get(reverse("public_posts:post-list"))
    assert "治安协管员" in listing.content.decode()


def test_create_post_field_errors(client_for, caseworker):
    client = client_for(caseworker)
    page = client.get(reverse("public_posts:post-create"))
    response = client.post(reverse("public_posts:post-create"), {
        "name": "治安协管员", "post_type": "public_security", "region": "220102", "places": 2,
        "start_date": "2026-01-01", "form_token": _token(page)})
    assert response.status_code == 200 and PublicPost.objects.count() == 0
    assert "请选择已登记的用人单位或填写用人单位名称" in response.content.decode()


def test_place_renew_exit_on_the_post_page(client_for, caseworker):
    post = make_post(caseworker, places=1)
    client = client_for(caseworker)
    page = client.get(reverse("public_posts:post-detail", args=[post.pk]))
    refused = client.post(reverse("public_posts:placement-create", args=[post.pk]), {
        "id_number": PersonFactory().id_number, "start_date": "2026-03-01", "agreed_end_date": "2027-02-28",
        "form_token": _token(page)})
    assert refused.status_code == 400 and "未被认定为就业困难人员" in refused.content.decode()
    person = difficult_person()
    page = client.get(reverse("public_posts:post-detail", args=[post.pk]))
    placed = client.post(reverse("public_posts:placement-create", args=[post.pk]), {
        "id_number": person.id_number, "start_date": "2026-03-01", "agreed_end_date": "2027-02-28",
        "form_token": _token(page)})
    assert placed.status_code == 302
    placement = Placement.objects.get()
    detail = client.get(reverse("public_posts:post-detail", args=[post.pk])).content.decode()
    assert person.name in detail and person.id_number not in detail and "安置就业困难人员" not in detail  # full
    assert AccessLog.objects.filter(object_type="applicants.person", object_ids__contains=f",{person.pk},").exists()
    client.post(reverse("public_posts:placement-renew", args=[placement.pk]), {"new_end_date": "2029-03-01"})
    placement.refresh_from_db()
    assert placement.agreed_end_date == date(2027, 2, 28)  # refused past the tenure limit
    client.post(reverse("public_posts:placement-renew", args=[placement.pk]), {"new_end_date": "2028-02-29"})
    client.post(reverse("public_posts:placement-exit", args=[placement.pk]), {"exit_date": "2026-07-31",
                                                                              "reason": "found_job"})
    placement.refresh_from_db()
    assert placement.agreed_end_date == date(2028, 2, 29) and placement.status == "exited"


def test_run_pages_progress_export_and_four_eyes(client_for, caseworker, django_capture_on_commit_callbacks):
    post = make_post(caseworker)
    Placement.objects.create(post=post, person=difficult_person(), region_id="220102", start_date=date(2026, 1, 1),
                             agreed_end_date=date(2026, 12, 31))
    client = client_for(caseworker)
    page = client.get(reverse("public_posts:run-list"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public_posts:run-start"), {"region": "220102", "month": "2026-03",
                                                                   "form_token": _token(page)})
    run = SubsidyRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("public_posts:run-detail", args=[run.pk])
    progress = client.get(reverse("public_posts:run-detail", args=[run.pk]) + "?format=json").json()
    assert progress == {"status": "computed", "status_display": "待审核", "done": 1, "total": 1, "percent": 100}
    detail = client.get(reverse("public_posts:run-detail", args=[run.pk])).content.decode()
    assert "2,750.00" in detail and "该操作须由审核人办理" in detail  # the caseworker's buttons say why not
    csv = client.get(reverse("public_posts:run-export", args=[run.pk]) + "?fmt=csv")
    assert csv.status_code == 200 and "2750.00" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("public_posts:run-export", args=[run.pk]) + "?fmt=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.post(reverse("public_posts:run-review", args=[run.pk]), {"action": "approve"}).status_code == 403
    reviewer = UserFactory(username="page_rev", role="supervisor", region_id="220102")
    other = client_for(reviewer)
    other.post(reverse("public_posts:run-review", args=[run.pk]), {"action": "approve", "note": "无误"})
    run.refresh_from_db()
    assert run.status == "approved" and run.reviewed_by == reviewer


def test_other_region_gets_404(client_for, caseworker, other_caseworker):
    post = make_post(caseworker)
    client = client_for(other_caseworker)
    assert client.get(reverse("public_posts:post-detail", args=[post.pk])).status_code == 404
    assert "村级快递收发员" not in client.get(reverse("public_posts:post-list")).content.decode()
