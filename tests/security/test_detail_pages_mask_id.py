"""A programme's detail (fraud case, startup-loan application and its subsidy claim — page and API) shows the
person's ID number masked, the name linking to the person's record; only that record shows the number in full
(and logs the read), as eldercare does."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AccessLog
from apps.fraud import services as fraud
from apps.startup_loans import services as loans
from tests.startup_loans.conftest import approved_application, schedule


def _fraud_case(caseworker, supervisor):
    from tests.factories import PersonFactory

    return fraud.case_create(user=caseworker, person=PersonFactory(region_id="220102"), reported_on=date(2026, 11, 20),
                             hospital="长春市某医院", amount_billed=Decimal("8600.00"), description="工伤住院")


def _loan(caseworker, supervisor):
    return approved_application(caseworker, supervisor)


def _claim(caseworker, supervisor):
    application = approved_application(caseworker, supervisor)
    schedule(application)
    return loans.claim_create(application=application, user=caseworker)


PAGES = {
    "fraud case": (_fraud_case, "fraud:case-detail", lambda case: case.person),
    "startup loan": (_loan, "startup_loans:application-detail", lambda application: application.person),
    "startup loan claim": (_claim, "startup_loans:claim-detail", lambda claim: claim.application.person),
}


@pytest.mark.parametrize(("make", "url_name", "person_of"), PAGES.values(), ids=PAGES)
def test_the_page_masks_and_links_to_the_record(client_for, caseworker, supervisor, make, url_name, person_of):
    record = make(caseworker, supervisor)
    person = person_of(record)
    client = client_for(caseworker)
    page = client.get(reverse(url_name, args=[record.pk])).content.decode()
    assert person.id_number not in page
    assert f'<span class="mono" data-testid="person-id-number">{person.masked_id_number}</span>' in page
    record_url = reverse("applicants:detail", args=[person.pk])
    assert f'<a href="{record_url}" data-testid="person-name">{person.name}</a>' in page
    before = AccessLog.objects.filter(object_id=str(person.pk)).count()
    assert person.id_number in client.get(record_url).content.decode()  # the record shows it in full …
    assert AccessLog.objects.filter(object_id=str(person.pk)).count() == before + 1  # … and logs the read


API = {
    "fraud case": (_fraud_case, "/api/v1/fraud/cases/{}/", lambda case: case.person),
    "startup loan": (_loan, "/api/v1/startup-loans/applications/{}/", lambda application: application.person),
}


@pytest.mark.parametrize(("make", "url", "person_of"), API.values(), ids=API)
def test_the_api_detail_masks_where_the_record_shows_it_in_full(api_for, caseworker, supervisor, make, url,
                                                                person_of):
    record = make(caseworker, supervisor)
    person = person_of(record)
    api = api_for(caseworker)
    body = api.get(url.format(record.pk)).json()
    assert (body["person"], body["person_id_number"]) == (person.pk, person.masked_id_number)
    assert person.id_number not in str(body)
    assert api.get(f"/api/v1/applicants/{person.pk}/").json()["id_number"] == person.id_number  # the same role
