"""One review rule, one refusal (issue 13, hole 7): the three approval flows — a refund run, a childcare subsidy
claim, a training subsidy claim — refuse a user without a reviewer role and the maker of the record with the
same code and the same status, whether asked through the service, the page or the API.

Each flow below says how to make a record whose maker is the supervisor, and how each face approves it. The
wrong role is a caseworker of the record's own region (so scoping lets them see it); four eyes is the
supervisor who made it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from apps.childcare.services import claims as childcare_claims
from apps.core.exceptions import ApplicationError
from apps.core.review import FOUR_EYES_CODE, FOUR_EYES_MESSAGE, REVIEWER_CODE, REVIEWER_MESSAGE
from apps.refunds.models import RefundRun
from apps.refunds.services import run_approve, run_start
from apps.training.services import enrollment_transition
from tests.childcare.factories import InstitutionFactory, publicized
from tests.refund_review import publicize
from tests.training.conftest import make_enrollment, make_program, occupations, walk_to  # noqa: F401 — fixture
from tests.training.conftest import publicized as training_publicized

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Flow:
    name: str
    make: Callable[..., Any]  # (supervisor, caseworker, request) -> record made by the supervisor
    service: Callable[[Any, Any], Any]  # (record, user) -> approve
    page: Callable[[Any], tuple[str, dict]]  # record -> (url, post data)
    api: Callable[[Any], tuple[str, dict]]
    status: Callable[[Any], str]  # the record's status, read again


def _refund_run(supervisor, caseworker, request):
    capture = request.getfixturevalue("django_capture_on_commit_callbacks")
    with capture(execute=True):
        run = run_start(user=supervisor, year=2025, region_code="220102")
    return publicize(RefundRun.objects.get(pk=run.pk))  # 初审 by another reviewer, window passed: the 复核 is next


def _childcare_claim(supervisor, caseworker, request):
    claim = childcare_claims.claim_compute(institution=InstitutionFactory(region_id="220102"), year=2025,
                                           user=caseworker)
    # submitted by the supervisor, through 初审 and 公示 (another reviewer, the window passed): ready for 复核
    return publicized(childcare_claims.claim_submit(claim=claim, user=supervisor))


def _training_claim(supervisor, caseworker, request):
    program = make_program(request.getfixturevalue("occupations"))
    enrollment = walk_to(make_enrollment(program, caseworker), "employment_verified", supervisor, caseworker)
    enrollment = enrollment_transition(enrollment=enrollment, action="claim_subsidy", user=supervisor)
    # claimed by the supervisor, through 初审 and 公示 (another reviewer, the window passed): ready for 复核
    training_publicized(enrollment.claims.get())
    return type(enrollment).objects.get(pk=enrollment.pk)


FLOWS = [
    Flow("refund_run", _refund_run,
         service=lambda run, user: run_approve(run_id=run.pk, user=user),
         page=lambda run: (reverse("refunds:approve", args=[run.pk]), {"comment": "同意"}),
         api=lambda run: (f"/api/v1/refund-runs/{run.pk}/approve/", {"comment": "同意"}),
         status=lambda run: RefundRun.objects.get(pk=run.pk).status),
    Flow("childcare_claim", _childcare_claim,
         service=lambda claim, user: childcare_claims.claim_approve(claim=claim, user=user),
         page=lambda claim: (reverse("childcare:claim-action", args=[claim.pk, "approve"]), {}),
         api=lambda claim: (f"/api/v1/childcare/claims/{claim.pk}/approve/", {}),
         status=lambda claim: type(claim).objects.get(pk=claim.pk).status),
    Flow("training_claim", _training_claim,
         service=lambda enrollment, user: enrollment_transition(enrollment=enrollment, action="approve", user=user),
         page=lambda enrollment: (reverse("training:enrollment-action", args=[enrollment.pk]), {"action": "approve"}),
         api=lambda enrollment: (f"/api/v1/training/enrollments/{enrollment.pk}/transition/", {"action": "approve"}),
         status=lambda enrollment: type(enrollment).objects.get(pk=enrollment.pk).status),
]

# (who acts, the one code, the one message); both answer 403.
REFUSALS = {"wrong_role": ("caseworker", REVIEWER_CODE, REVIEWER_MESSAGE),
            "four_eyes": ("supervisor", FOUR_EYES_CODE, FOUR_EYES_MESSAGE)}


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_the_service_refuses_with_the_one_code_and_status(flow, refusal, supervisor, caseworker, request):
    record = flow.make(supervisor, caseworker, request)
    before = flow.status(record)
    who, code, message = REFUSALS[refusal]
    with pytest.raises(ApplicationError) as refused:
        flow.service(record, {"caseworker": caseworker, "supervisor": supervisor}[who])
    assert (refused.value.code, refused.value.status_code, refused.value.message) == (code, 403, message)
    assert flow.status(record) == before


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_the_api_refuses_with_the_one_code_and_status(flow, refusal, supervisor, caseworker, request, api_for):
    record = flow.make(supervisor, caseworker, request)
    before = flow.status(record)
    who, code, message = REFUSALS[refusal]
    url, data = flow.api(record)
    response = api_for({"caseworker": caseworker, "supervisor": supervisor}[who]).post(url, data, format="json")
    assert (response.status_code, response.json()["code"], response.json()["detail"]) == (403, code, message)
    assert flow.status(record) == before


@pytest.mark.parametrize("refusal", sorted(REFUSALS))
@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_the_page_refuses_with_the_one_status_and_sentence(flow, refusal, supervisor, caseworker, request,
                                                           client_for):
    record = flow.make(supervisor, caseworker, request)
    before = flow.status(record)
    who, code, message = REFUSALS[refusal]
    url, data = flow.page(record)
    response = client_for({"caseworker": caseworker, "supervisor": supervisor}[who]).post(url, data)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert flow.status(record) == before
