"""停止求职: a worker registration closed (a reason required, the history names who and why) leaves the matching
on every face — service, page, API, admin — and can no longer be placed; the person may register again."""

from datetime import date

import pytest
from django.urls import reverse

from apps.core.exceptions import ApplicationError
from apps.gig import selectors, services
from apps.gig.models import Availability
from tests.gig.conftest import make_posting, make_worker

A = Availability.Status


def _close(worker, user, note="已在外地长期务工", on=date(2026, 4, 15)):
    return services.availability_close(availability=worker, user=user, note=note, on=on)


def test_closing_records_day_reason_and_who(caseworker):
    worker = make_worker(caseworker)
    closed = _close(worker, caseworker)
    assert (closed.status, closed.closed_on, closed.close_reason) == (A.CLOSED, date(2026, 4, 15), "已在外地长期务工")
    row = worker.history.order_by("-history_id").first()
    assert (row.status, row.history_user, row.history_change_reason) == (A.CLOSED, caseworker,
                                                                          "停止求职：已在外地长期务工")


@pytest.mark.parametrize(("note", "code"), [("", "reason_required"), ("   ", "reason_required")])
def test_a_reason_is_required(caseworker, note, code):
    worker = make_worker(caseworker)
    with pytest.raises(ApplicationError) as refused:
        _close(worker, caseworker, note=note)
    assert refused.value.code == code
    worker.refresh_from_db()
    assert worker.status == A.OPEN and worker.history.count() == 1


def test_closing_twice_is_a_conflict_and_out_of_scope_is_refused(caseworker, other_caseworker):
    worker = make_worker(caseworker)
    with pytest.raises(ApplicationError) as refused:
        _close(worker, other_caseworker)
    assert refused.value.code == "region_out_of_scope"
    _close(worker, caseworker)
    with pytest.raises(ApplicationError) as again:
        _close(worker, caseworker)
    assert (again.value.code, again.value.status_code) == ("transition_not_allowed", 409)


def test_a_closed_registration_drops_out_of_matching_and_placing(caseworker):
    posting = make_posting(caseworker)
    stays, leaves = make_worker(caseworker), make_worker(caseworker)
    assert {c.record.pk for c in selectors.posting_matches(user=caseworker, posting=posting)} == {stays.pk, leaves.pk}
    assert selectors.availability_matches(user=caseworker, availability=leaves)
    leaves = _close(leaves, caseworker)
    assert [c.record.pk for c in selectors.posting_matches(user=caseworker, posting=posting)] == [stays.pk]
    assert selectors.availability_matches(user=caseworker, availability=leaves) == []
    with pytest.raises(ApplicationError) as refused:
        services.placement_create(posting=posting, availability=leaves, start_date=posting.start_date, user=caseworker)
    assert refused.value.code == "availability_closed"
    again = make_worker(caseworker)  # another person registering is untouched; the same person may register again
    leaves_again = services.availability_register(availability=Availability(
        person=leaves.person, region_id=leaves.region_id, available_from=leaves.available_from,
        available_to=leaves.available_to), trades=["bricklayer"], user=caseworker)
    assert {c.record.pk for c in selectors.posting_matches(user=caseworker, posting=posting)} == {
        stays.pk, again.pk, leaves_again.pk}


def test_the_page_button(caseworker, client_for):
    worker = make_worker(caseworker)
    client = client_for(caseworker)
    url = reverse("gig:availability-detail", args=[worker.pk])
    page = client.get(url).content.decode()
    assert 'id="close-availability"' in page and reverse("gig:availability-close", args=[worker.pk]) in page
    refused = client.post(reverse("gig:availability-close", args=[worker.pk]), {"note": ""}, follow=True)
    assert "请填写“停止求职”的原因" in refused.content.decode()
    worker.refresh_from_db()
    assert worker.status == A.OPEN
    response = client.post(reverse("gig:availability-close", args=[worker.pk]), {"note": "回乡务农"})
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    worker.refresh_from_db()
    assert worker.status == A.CLOSED and "回乡务农" in page and 'id="close-availability"' not in page
    assert "匹配的招募中岗位" not in page


def test_the_page_of_another_region_is_404(caseworker, other_caseworker, client_for):
    worker = make_worker(caseworker)
    response = client_for(other_caseworker).post(reverse("gig:availability-close", args=[worker.pk]), {"note": "x"})
    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.status == A.OPEN


def test_the_api_action(api_for, caseworker):
    posting = make_posting(caseworker)
    worker = make_worker(caseworker)
    api = api_for(caseworker)
    url = f"/api/v1/gig/workers/{worker.pk}/close/"
    missing = api.post(url, {}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (400, "reason_required")
    body = api.post(url, {"note": "已在外地长期务工"}, format="json").json()
    assert (body["status"], body["close_reason"]) == ("closed", "已在外地长期务工") and body["closed_on"]
    assert api.get(f"/api/v1/gig/workers/{worker.pk}/matches/").json() == []
    assert api.get(f"/api/v1/gig/postings/{posting.pk}/matches/").json() == []
    assert api.post(url, {"note": "再停一次"}, format="json").status_code == 409


def test_the_admin_action(client_for, caseworker, supervisor):
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="gig"))
    first, second = make_worker(caseworker), make_worker(caseworker)
    client = client_for(supervisor)
    changelist = reverse("admin:gig_availability_changelist")
    refused = client.post(changelist, {"action": "close_availabilities", "_selected_action": [first.pk], "note": ""},
                          follow=True)
    first.refresh_from_db()
    assert first.status == A.OPEN and "请填写“停止求职”的原因" in refused.content.decode()  # the service's message
    response = client.post(changelist, {"action": "close_availabilities", "_selected_action": [first.pk, second.pk],
                                        "note": "本人申请停止"}, follow=True)
    assert "“停止求职”：2 条已完成" in response.content.decode()
    assert set(Availability.objects.values_list("status", "close_reason")) == {(A.CLOSED, "本人申请停止")}
