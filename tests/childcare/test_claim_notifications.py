"""A childcare claim's institution is told through the shared events: 名单公示告知 when 初审 puts its list up
(once per publication: taken down and published again is a new window, so a new message), 异议处理结果 when an
objection on it is decided (the recomputed amount when upheld). No phone: no message, and the move still goes."""

from datetime import date
from decimal import Decimal

import pytest

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.notifications.models import Message
from apps.publicity.models import Publication
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.childcare.test_claim_objections import decide, lodge, window
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(db):
    return UserFactory(username="first_rev", role="supervisor", region_id="220100")


def submitted(caseworker, *, phone="13800138001"):
    institution = InstitutionFactory(region_id="220102", name="南关区阳光托育园", uscc="91220102MA0000001X",
                                     phone=phone)
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    return claims.claim_submit(claim=claim, user=caseworker)


def messages(event):
    return list(Message.objects.filter(event=event).order_by("pk"))


def test_publish_tells_the_institution_once_per_publication(caseworker, first, supervisor):
    claim = claims.claim_publish(claim=submitted(caseworker), user=first)
    publication = Publication.objects.get(source="childcare.claim", record_id=claim.pk)
    [sms] = messages("publicity.published")
    assert (sms.channel, sms.recipient_address, sms.source, sms.source_id) == (
        "sms", "13800138001", "childcare-claim", claim.pk)
    assert "2025年普惠托育服务补助" in sms.body and f"{claim.amount:.2f}" in sms.body
    assert f"{publication.starts_on:%Y-%m-%d}" in sms.body and f"{publication.ends_on:%Y-%m-%d}" in sms.body
    # Returned during 公示, resubmitted and published again: a new window, a new message.
    claim = claims.claim_return(claim=claim, user=supervisor, comment="材料不全")
    claim = claims.claim_publish(claim=claims.claim_submit(claim=claim, user=caseworker), user=first)
    assert len(messages("publicity.published")) == 2


def test_no_phone_no_message_and_the_move_goes_through(caseworker, first):
    claim = claims.claim_publish(claim=submitted(caseworker, phone=""), user=first)
    assert claim.status == OperatingSubsidyClaim.Status.PUBLICIZING
    assert messages("publicity.published") == []


@pytest.mark.parametrize(("decision", "corrected", "outcome"), [
    ("reject", None, "异议不成立"),
    ("uphold", {"child_months": "6"}, "异议成立"),
])
def test_decided_objection_tells_the_institution_the_amount_after(caseworker, first, supervisor, decision,
                                                                   corrected, outcome):
    claim = window(claims.claim_publish(claim=submitted(caseworker), user=first), -2, 2)
    before = claim.amount
    objection = lodge(caseworker, claim)
    decide(supervisor, caseworker, objection, decision, **({"corrected_facts": corrected} if corrected else {}))
    claim.refresh_from_db()
    assert (claim.amount == before) is (decision == "reject")
    [sms] = messages("objections.decided")
    assert outcome in sms.body and f"{claim.amount:.2f}" in sms.body and sms.recipient_address == "13800138001"
    assert claim.amount > Decimal(0)
