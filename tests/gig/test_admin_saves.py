"""The back office edits brokers and postings through the services (broker_update, posting_update), as it adds
them: the service's checks hold there too, and a refusal is the service's Chinese message, nothing saved."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.core.exceptions import ApplicationError
from apps.gig import services
from apps.gig.models import Broker, Posting
from tests.gig.conftest import START, make_broker, make_posting, make_worker

P = Posting.Status


@pytest.fixture
def admin_client(client_for, supervisor):
    supervisor.user_permissions.set(Permission.objects.filter(content_type__app_label="gig"))
    return client_for(supervisor)


def _form_data(client, url, **overrides) -> dict:
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return {**data, **overrides}


def _placed(user, posting, n=1):
    for _ in range(n):
        worker = make_worker(user)
        services.placement_create(posting=posting, availability=worker, start_date=posting.start_date, user=user)


def _edit(posting, **changes):
    for name, value in changes.items():
        setattr(posting, name, value)
    return posting


# (what is changed, the refusal's code or None) — every check posting_create makes, and the ones only an edit has.
POSTING_EDITS = {
    "more places on a full posting opens it again": (lambda p, b: {"headcount": 3}, None),
    "fewer places than taken": (lambda p, b: {"headcount": 1}, "headcount_below_taken"),
    "dates that leave a placement outside": (lambda p, b: {"start_date": START + timedelta(days=1)},
                                             "placements_outside_dates"),
    "end before start": (lambda p, b: {"end_date": START - timedelta(days=1)}, "invalid_dates"),
    "both posters": (lambda p, b: {"broker": b}, "poster_required"),
    "no poster": (lambda p, b: {"employer": None}, "poster_required"),
    "a deregistered broker named": (lambda p, b: {"employer": None, "broker": services.broker_deregister(
        broker=b, user=p.created_by)}, "broker_not_active"),
    "a region out of scope": (lambda p, b: {"region_id": "220204"}, "region_out_of_scope"),
}


@pytest.mark.parametrize(("change", "code"), POSTING_EDITS.values(), ids=POSTING_EDITS)
def test_posting_update_checks(caseworker, villages, change, code):
    posting = make_posting(caseworker, headcount=2)
    _placed(caseworker, posting, 2)
    posting.refresh_from_db()
    assert posting.status == P.FULL
    broker = make_broker(caseworker)
    edited = _edit(Posting.objects.get(pk=posting.pk), **change(posting, broker))
    if code is None:
        saved = services.posting_update(posting=edited, user=caseworker)
        assert saved.status == P.OPEN and saved.history.first().history_change_reason == "名额空出，重新招募"
        assert saved.history.all()[1].history_change_reason == "修改岗位信息"
        return
    with pytest.raises(ApplicationError) as refused:
        services.posting_update(posting=edited, user=caseworker)
    assert refused.value.code == code
    stored = Posting.objects.get(pk=posting.pk)
    assert (stored.headcount, stored.start_date, stored.status) == (2, START, P.FULL)


def test_an_ended_posting_is_not_edited(caseworker):
    posting = services.posting_transition(posting=make_posting(caseworker), action="close", user=caseworker)
    with pytest.raises(ApplicationError) as refused:
        services.posting_update(posting=_edit(posting, title="改名"), user=caseworker)
    assert (refused.value.code, refused.value.status_code) == ("posting_closed", 409)


def test_broker_update_checks(caseworker, other_caseworker, villages):
    broker = make_broker(caseworker)
    for change, code in [({"region_id": "220102"}, "broker_region_level"),
                         ({"status": Broker.Status.DEREGISTERED}, "broker_status_fixed"),
                         ({"person_id": make_worker(caseworker).person_id}, "broker_person_fixed")]:
        with pytest.raises(ApplicationError) as refused:
            services.broker_update(broker=_edit(Broker.objects.get(pk=broker.pk), **change), user=caseworker)
        assert refused.value.code == code, change
    with pytest.raises(ApplicationError) as refused:
        services.broker_update(broker=Broker.objects.get(pk=broker.pk), user=other_caseworker)
    assert refused.value.code == "region_out_of_scope"
    saved = services.broker_update(broker=_edit(Broker.objects.get(pk=broker.pk), phone="13904319999",
                                                region_id="220102001"), user=caseworker)
    assert (saved.phone, saved.region_id) == ("13904319999", "220102001")
    assert saved.history.first().history_change_reason == "修改经纪人信息"


def test_the_admin_posting_edit_shows_the_services_message(admin_client, caseworker):
    posting = make_posting(caseworker, headcount=3)
    _placed(caseworker, posting, 2)
    url = reverse("admin:gig_posting_change", args=[posting.pk])
    response = admin_client.post(url, _form_data(admin_client, url, headcount=1), follow=True)
    assert "已有 2 人上岗，招募人数不能少于 2。" in response.content.decode()
    form = response.context["adminform"].form  # the change form again: the refusal under its field, input kept
    assert form.errors["headcount"] == ["已有 2 人上岗，招募人数不能少于 2。"] and form["headcount"].value() == "1"
    posting.refresh_from_db()
    assert (posting.headcount, posting.status) == (3, P.OPEN)
    admin_client.post(url, _form_data(admin_client, url, headcount=2, title="外墙修补"), follow=True)
    posting.refresh_from_db()
    assert (posting.headcount, posting.title, posting.status) == (2, "外墙修补", P.FULL)  # through the service
    response = admin_client.post(url, _form_data(admin_client, url, start_date=START + timedelta(days=2)),
                                 follow=True)
    assert "用工期间须包含这些上岗日期" in response.content.decode()
    posting.refresh_from_db()
    assert posting.start_date == START


def test_the_admin_broker_edit_and_deregister(admin_client, caseworker, villages):
    broker = make_broker(caseworker)
    url = reverse("admin:gig_broker_change", args=[broker.pk])
    response = admin_client.post(url, _form_data(admin_client, url, region="220102"), follow=True)
    assert "劳务经纪人应登记到乡镇（街道）或村（社区）。" in response.content.decode()
    broker.refresh_from_db()
    assert broker.region_id == "220102001001"
    admin_client.post(url, _form_data(admin_client, url, phone="13904319999"), follow=True)
    broker.refresh_from_db()
    assert broker.phone == "13904319999"
    changelist = reverse("admin:gig_broker_changelist")
    refused = admin_client.post(changelist, {"action": "deregister_brokers", "_selected_action": [broker.pk],
                                             "note": ""}, follow=True)
    broker.refresh_from_db()
    assert broker.status == Broker.Status.ACTIVE and "请填写注销原因" in refused.content.decode()
    admin_client.post(changelist, {"action": "deregister_brokers", "_selected_action": [broker.pk],
                                   "note": "外出务工"})
    broker.refresh_from_db()
    assert (broker.status, broker.note) == (Broker.Status.DEREGISTERED, "外出务工")
