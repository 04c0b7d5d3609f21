"""Objections against a claim in its 公示 window (apps.childcare.objections): the window's boundaries, lodging
on behalf through the page and through the API, the hold on the 复核, rejected and upheld decisions (the
calculator recomputing the corrected child-months into a new history version), another region's 404."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.exceptions import ApplicationError
from apps.objections import services
from apps.objections.models import Objection
from apps.publicity.models import Publication
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OperatingSubsidyClaim.Status
AFTER = date(2099, 1, 1)


@pytest.fixture
def first(db):
    return UserFactory(username="first_rev", role="supervisor", region_id="220100")


@pytest.fixture
def claim(caseworker, first):
    institution = InstitutionFactory(region_id="220102", name="南关区阳光托育园", uscc="91220102MA0000001X")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    claim = claims.claim_publish(claim=claims.claim_submit(claim=claim, user=caseworker), user=first)
    return window(claim, -2, 2)


def window(claim, starts: int, ends: int):
    today = services.today()
    OperatingSubsidyClaim.objects.filter(pk=claim.pk).update(
        publicity_starts_on=today + timedelta(days=starts), publicity_ends_on=today + timedelta(days=ends))
    Publication.objects.filter(source="childcare.claim", record_id=claim.pk).update(
        starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends))
    claim.refresh_from_db()
    return claim


def lodge(user, claim, item="fact:child_months"):
    return services.objection_lodge(user=user, source_slug="childcare-claim", record_id=claim.pk,
                                    row_key=str(claim.institution_id), disputed_item=item, grounds="人数少算",
                                    channel="on_behalf")


def decide(supervisor, caseworker, objection, decision, **kwargs):
    services.objection_assign(user=supervisor, objection_id=objection.pk, assignee_id=caseworker.pk)
    return services.objection_decide(user=supervisor, objection_id=objection.pk, decision=decision,
                                     reasons="核实", **kwargs)


@pytest.mark.parametrize(("starts", "ends", "code"), [
    (0, 3, None),  # the first day
    (-3, 0, None),  # the last day
    (-3, -1, services.WINDOW_CLOSED),  # the day after
])
def test_lodging_in_the_window(claim, caseworker, starts, ends, code):
    claim = window(claim, starts, ends)
    if code is None:
        objection = lodge(caseworker, claim)
        assert (objection.source, objection.row_key, objection.result_id) == (
            "childcare-claim", str(claim.institution_id), claim.history.latest().history_id)
    else:
        with pytest.raises(ApplicationError) as error:
            lodge(caseworker, claim)
        assert error.value.code == code
        assert Objection.objects.count() == 0


def test_lodge_on_behalf_through_the_claim_page(client_for, claim, caseworker):
    client = client_for(caseworker)
    url = reverse("objections:lodge", args=["childcare-claim", claim.pk, claim.institution_id])
    page = client.get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert url in page  # the 公示 card's 代为登记异议
    response = client.post(url, {"disputed_item": "amount", "grounds": "人数少算"})
    assert response.status_code == 302
    assert Objection.objects.get().disputed_item == "amount"


def test_open_objection_holds_approve_and_rejected_keeps_the_amount(claim, caseworker, supervisor):
    objection = lodge(caseworker, claim)
    with pytest.raises(ApplicationError) as error:
        claims.claim_approve(claim=claim, user=supervisor, today=AFTER)
    assert (error.value.code, error.value.status_code) == ("objection_open", 409)
    amount = claim.amount
    decide(supervisor, caseworker, objection, "reject")
    approved = claims.claim_approve(claim=OperatingSubsidyClaim.objects.get(pk=claim.pk), user=supervisor,
                                    today=AFTER)
    assert (approved.status, approved.amount) == (Status.APPROVED, amount)


def test_upheld_recomputes_a_new_version_through_the_calculator(claim, caseworker, supervisor, client_for):
    old_amount, old_months = claim.amount, claim.child_months
    objection = lodge(caseworker, claim)
    with pytest.raises(ApplicationError) as error:
        decide(supervisor, caseworker, objection, "uphold", corrected_facts={"child_months": "十二"})
    assert "corrected_facts.child_months" in error.value.fields
    objection = services.objection_decide(user=supervisor, objection_id=objection.pk, decision="uphold",
                                          reasons="核实", corrected_facts={"child_months": old_months * 2})
    claim.refresh_from_db()
    assert claim.status == Status.PUBLICIZING and claim.child_months == old_months * 2
    assert claim.amount == old_amount * 2 and claim.amount > Decimal("0")  # one rate in 2025: twice the months
    assert objection.new_result_id == claim.history.latest().history_id != objection.result_id
    assert claim.history.latest().history_change_reason.startswith(f"异议 #{objection.pk}")
    page = client_for(caseworker).get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert 'id="comparison"' in page and f"{old_amount:,.2f}" in page and f"{claim.amount:,.2f}" in page
    assert 'id="monthly-superseded"' in page and f"合计在托人·月为 {old_months * 2}（原 {old_months}）" in page


def test_another_regions_caseworker_gets_404(claim, other_caseworker):
    with pytest.raises(ApplicationError) as error:
        lodge(other_caseworker, claim)
    assert error.value.status_code == 404


def test_api_lodging(client_for, claim, caseworker):
    client = client_for(caseworker)
    body = {"source": "childcare-claim", "record_id": claim.pk, "row_key": str(claim.institution_id),
            "disputed_item": "amount", "grounds": "人数少算"}
    response = client.post("/api/v1/objections/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="c1")
    assert response.status_code == 201, response.content
    assert Objection.objects.get().record_id == claim.pk
