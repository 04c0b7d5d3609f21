"""初审 → 公示 → 复核 of an operating-subsidy claim (apps.childcare.services.claims, apps.childcare.publicity):
maker-checker at each step, the working-day window with a holiday in it, the public list without personal data,
an open objection holding the 复核, the API end to end."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.childcare.models import OperatingSubsidyClaim
from apps.childcare.services import claims
from apps.core.exceptions import ApplicationError
from apps.core.models import CalendarDay
from apps.core.templatetags.formats import detail_date
from apps.objections.models import Objection
from apps.publicity.models import Publication
from tests.childcare.factories import EnrollmentFactory, InstitutionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OperatingSubsidyClaim.Status
PUBLISHED_ON = date(2026, 9, 30)  # Wednesday; 1–7 October are holidays below


@pytest.fixture
def submitted(caseworker):
    institution = InstitutionFactory(region_id="220102", name="南关区阳光托育园", uscc="91220102MA0000001X")
    EnrollmentFactory(institution=institution, start_date=date(2025, 1, 1))
    claim = claims.claim_compute(institution=institution, year=2025, user=caseworker)
    return claims.claim_submit(claim=claim, user=caseworker)


@pytest.fixture
def first(db):
    return UserFactory(username="first_rev", role="supervisor", region_id="220100")


@pytest.fixture
def holidays(db):
    for day in range(1, 8):
        CalendarDay.objects.create(date=date(2026, 10, day), kind="holiday", name="国庆节")


def refused(call, code: str, status: int):
    with pytest.raises(ApplicationError) as error:
        call()
    assert (error.value.code, error.value.status_code) == (code, status)


@pytest.mark.parametrize(("mover", "code"), [
    ("caseworker", "reviewer_required"),  # the submitter, no reviewer
    ("submitter", "four_eyes"),  # a reviewer who submitted it
])
def test_publish_is_a_reviewers_who_did_not_submit(submitted, request, mover, code):
    user = (UserFactory(username="sup_submitter", role="supervisor", region_id="220100") if mover == "submitter"
            else request.getfixturevalue(mover))
    OperatingSubsidyClaim.objects.filter(pk=submitted.pk).update(submitted_by=user)
    refused(lambda: claims.claim_transition(claim=submitted, action="publish", user=user), code, 403)
    assert Publication.objects.count() == 0


def test_publish_opens_the_window_in_working_days_over_a_holiday(submitted, first, holidays):
    claim = claims.claim_publish(claim=submitted, user=first, today=PUBLISHED_ON)
    assert claim.status == Status.PUBLICIZING and claim.first_reviewed_by == first
    # 5 working days (childcare.publicity_working_days, a 示例值) from the next working day: 8, 9, 12, 13, 14 Oct
    assert (claim.publicity_starts_on, claim.publicity_ends_on) == (date(2026, 10, 8), date(2026, 10, 14))
    publication = Publication.objects.get(source="childcare.claim", record_id=claim.pk)
    assert (publication.starts_on, publication.ends_on, publication.working_days) == (
        date(2026, 10, 8), date(2026, 10, 14), 5)


@pytest.mark.parametrize(("today", "allowed"), [
    (date(2026, 10, 8), False), (date(2026, 10, 14), False),  # the last day of the window is refused
    (date(2026, 10, 15), True),  # the next day is allowed
])
def test_approve_only_after_the_windows_last_day(submitted, first, supervisor, holidays, today, allowed):
    claim = claims.claim_publish(claim=submitted, user=first, today=PUBLISHED_ON)
    if allowed:
        assert claims.claim_approve(claim=claim, user=supervisor, today=today).status == Status.APPROVED
    else:
        refused(lambda: claims.claim_approve(claim=claim, user=supervisor, today=today),
                "publicity_window_open", 409)


@pytest.mark.parametrize(("approver", "code"), [
    ("caseworker", "reviewer_required"),  # the submitter here, and no reviewer
    ("first", "four_eyes"),  # the first reviewer
    ("submitter", "four_eyes"),  # a reviewer who submitted the claim
])
def test_approve_is_neither_the_submitters_nor_the_first_reviewers(request, submitted, first, approver, code):
    user = (UserFactory(username="sup_submitter", role="supervisor", region_id="220100") if approver == "submitter"
            else request.getfixturevalue(approver))
    if approver == "submitter":
        OperatingSubsidyClaim.objects.filter(pk=submitted.pk).update(submitted_by=user)
    claim = claims.claim_publish(claim=submitted, user=first, today=PUBLISHED_ON)
    refused(lambda: claims.claim_approve(claim=claim, user=user, today=date(2027, 1, 1)), code, 403)


def test_an_open_objection_holds_the_approve_until_decided(submitted, first, supervisor):
    claim = claims.claim_publish(claim=submitted, user=first, today=PUBLISHED_ON)
    objection = Objection.objects.create(
        source="childcare-claim", record_id=claim.pk, row_key=str(claim.institution_id),
        result_id=claim.history.first().history_id, region_id="220102", subject_name=claim.institution.name,
        disputed_item="amount", disputed_label="补助金额", grounds="人数少算", channel="counter", entered_by=first,
        deadline=claim.publicity_ends_on)
    refused(lambda: claims.claim_approve(claim=claim, user=supervisor, today=date(2027, 1, 1)), "objection_open", 409)
    Objection.objects.filter(pk=objection.pk).update(status=Objection.Status.REJECTED)
    assert claims.claim_approve(claim=claim, user=supervisor, today=date(2027, 1, 1)).status == Status.APPROVED


def test_return_during_publicity_takes_the_list_down(client, submitted, first, supervisor):
    claim = claims.claim_publish(claim=submitted, user=first)
    token = Publication.objects.get(record_id=claim.pk, source="childcare.claim").token
    assert client.get(reverse("publicity:list", args=[token])).status_code == 200
    claims.claim_return(claim=claim, user=supervisor, comment="人数有误")
    assert client.get(reverse("publicity:list", args=[token])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == Status.RETURNED and claim.publicity_ends_on is None


def test_the_public_list_has_no_personal_data_in_a_fixed_number_of_queries(client, submitted, first,
                                                                           django_assert_max_num_queries):
    claim = claims.claim_publish(claim=submitted, user=first)
    token = Publication.objects.get(record_id=claim.pk, source="childcare.claim").token
    with django_assert_max_num_queries(8):
        page = client.get(reverse("publicity:list", args=[token])).content.decode()
    assert claim.amount > 0
    assert "南关区阳光托育园" in page and "2025年" in page and f"{claim.amount:,.2f}" in page
    assert "91220102MA0000001X" not in page  # masked
    child = claim.institution.enrollments.first().child
    assert child.name not in page and child.id_number not in page


def test_api_end_to_end(api_for, submitted, first, supervisor):
    base = f"/api/v1/childcare/claims/{submitted.pk}"
    assert api_for(first).get(f"{base}/publicity/").json()["published"] is False
    response = api_for(first).post(f"{base}/publish/", {"comment": "初审通过"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "publicizing"
    publicity = api_for(first).get(f"{base}/publicity/").json()
    assert publicity["published"] and publicity["columns"] == ["机构名称", "统一社会信用代码", "年度", "补助金额"]
    assert publicity["rows"][0][1] != "91220102MA0000001X"
    refused_now = api_for(supervisor).post(f"{base}/approve/", {"comment": "同意"}, format="json")
    assert (refused_now.status_code, refused_now.json()["code"]) == (409, "publicity_window_open")
    OperatingSubsidyClaim.objects.filter(pk=submitted.pk).update(publicity_ends_on=date.today() - timedelta(days=1))
    approved = api_for(supervisor).post(f"{base}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["first_reviewed_by"] == str(first)


def test_claim_page_shows_the_publicity_card(client_for, submitted, first):
    claim = claims.claim_publish(claim=submitted, user=first)
    page = client_for(first).get(reverse("childcare:claim-detail", args=[claim.pk])).content.decode()
    assert 'id="publicity"' in page and 'id="public-link"' in page


def test_the_submitter_reads_where_the_claim_stands(submitted, first, caseworker, client_for):
    url = reverse("childcare:claim-detail", args=[submitted.pk])
    page = client_for(caseworker).get(url).content.decode()
    assert "等待提交人以外的审核人初审" in page
    claim = claims.claim_publish(claim=submitted, user=first)
    page = client_for(caseworker).get(url).content.decode()
    assert f"公示中，公示期至 {detail_date(claim.publicity_ends_on)}（含）" in page and "等待提交人以外的审核人初审" not in page
