"""A create form posted twice with the same one-time token (a double click, a browser resend) creates once and
shows the first result; three reports of the same child open one case (the database refuses the rest)."""

import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.child_welfare.models import Case, Referral, Status, Visit
from apps.core.idempotency import REPEAT_MESSAGE
from tests.child_welfare.conftest import child_id, report


def _token(response) -> str:
    match = re.search(r'name="form_token" value="([0-9a-f-]{36})"', response.content.decode())
    assert match, "the form renders no one-time token"
    return match.group(1)


def test_a_double_submitted_visit_form_records_one_visit(client_for, caseworker, case):
    web = client_for(caseworker)
    url = reverse("child_welfare:visit-add", args=[case.pk])
    token = _token(web.get(url))
    data = {"visited_on": date.today().isoformat(), "visitors": "王经办", "child_seen": "on", "findings": "状况良好",
            "form_token": token}
    first = web.post(url, data)
    second = web.post(url, data, follow=True)
    assert first.status_code == 302
    assert Visit.objects.filter(case=case).count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert REPEAT_MESSAGE in second.content.decode()


def test_each_form_shown_gets_its_own_token_and_two_real_visits_are_two(client_for, caseworker, case):
    web = client_for(caseworker)
    url = reverse("child_welfare:visit-add", args=[case.pk])
    for _ in range(2):
        token = _token(web.get(url))
        web.post(url, {"visited_on": date.today().isoformat(), "visitors": "王经办", "child_seen": "on",
                       "findings": "状况良好", "form_token": token})
    assert Visit.objects.filter(case=case).count() == 2


def test_a_refused_post_keeps_its_token_and_the_corrected_post_saves_once(client_for, caseworker, case):
    web = client_for(caseworker)
    url = reverse("child_welfare:visit-add", args=[case.pk])
    token = _token(web.get(url))
    bad = web.post(url, {"visited_on": "2999-01-01", "visitors": "王经办", "findings": "x", "form_token": token})
    assert bad.status_code == 200 and _token(bad) == token  # re-rendered with the same token
    good = {"visited_on": date.today().isoformat(), "visitors": "王经办", "findings": "x", "form_token": token}
    assert web.post(url, good).status_code == 302
    web.post(url, good)
    assert Visit.objects.filter(case=case).count() == 1


def test_a_double_submitted_referral_form_records_one_referral(client_for, caseworker, case):
    web = client_for(caseworker)
    url = reverse("child_welfare:referral-add", args=[case.pk])
    data = {"target_type": "education", "target_name": "区教育局", "domain": "education", "request": "协助入学",
            "referred_on": date.today().isoformat(), "form_token": _token(web.get(url))}
    web.post(url, data)
    web.post(url, data)
    assert Referral.objects.filter(case=case).count() == 1


def test_a_double_submitted_case_report_opens_one_case(client_for, caseworker):
    web = client_for(caseworker)
    url = reverse("child_welfare:case-report")
    data = {"child_name": "张小红", "child_id_number": child_id(), "region": "220102", "referral_source": "school",
            "risk_level": "medium", "categories_since": date.today().isoformat(), "form_token": _token(web.get(url))}
    first = web.post(url, data)
    second = web.post(url, data, follow=True)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert Case.objects.filter(child__id_number=data["child_id_number"]).count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert REPEAT_MESSAGE in second.content.decode()


def test_the_database_allows_one_open_case_per_child(caseworker):
    case = report(caseworker)
    duplicate = Case(child=case.child, region_id="220102", referral_source="school")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    duplicate.save()  # a closed case does not block a new report
