"""Moved out: the case goes to the target region's caseworker with its history; the old region loses access."""

from datetime import date

import pytest
from django.urls import reverse

from apps.child_welfare import services
from apps.child_welfare.models import Status, Visit
from apps.core.exceptions import ApplicationError
from tests.child_welfare.conftest import report, walk

pytestmark = pytest.mark.django_db


def test_transfer_between_regions_keeps_history_and_moves_access(caseworker, other_caseworker, supervisor,
                                                                 client_for, api_for):
    case = walk(caseworker, report(caseworker), Status.IN_SERVICE)
    services.visit_record(user=caseworker, case_id=case.pk, visited_on=date.today(), visitors="王经办",
                          findings="随母亲迁往吉林市")
    case.refresh_from_db()
    response = client_for(caseworker).post(
        reverse("child_welfare:case-transition", args=[case.pk, "close"]),
        {"closure_reason": "moved_out", "target_region": "220204", "reason": "随母亲迁居吉林市船营区",
         "version": case.version})
    assert response.status_code == 302 and response.url == reverse("child_welfare:case-list")
    case.refresh_from_db()
    assert (case.region_id, case.assigned_worker, case.status) == ("220204", other_caseworker, Status.REPORTED)
    assert not case.documents_verified and case.identity_verified
    actions = list(case.transitions.values_list("action", "to_status", "from_region", "to_region"))
    assert actions[-2:] == [("close", Status.CLOSED, "220102", "220204"),
                            ("transfer_in", Status.REPORTED, "220102", "220204")]
    assert Visit.objects.filter(case=case).count() == 1 and case.assessments.count() == 1
    # The old region loses access; the new region's caseworker has the whole file.
    assert client_for(caseworker).get(reverse("child_welfare:case-detail", args=[case.pk])).status_code == 404
    assert client_for(supervisor).get(reverse("child_welfare:case-detail", args=[case.pk])).status_code == 404
    page = client_for(other_caseworker).get(reverse("child_welfare:case-detail", args=[case.pk]))
    assert page.status_code == 200 and "随母亲迁往吉林市" in page.content.decode()
    assert api_for(other_caseworker).get(f"/api/v1/child-welfare/cases/{case.pk}/").status_code == 200
    # …and takes it along the lifecycle again.
    services.case_update(user=other_caseworker, case_id=case.pk, expected_version=case.version,
                         data={"documents_verified": True})
    assert services.case_transition(user=other_caseworker, case_id=case.pk, action="verify").status == "verified"


def test_transfer_through_the_api_reports_where_the_case_went(caseworker, other_caseworker, api_for):
    case = report(caseworker)
    response = api_for(caseworker).post(f"/api/v1/child-welfare/cases/{case.pk}/transitions/", {
        "action": "close", "closure_reason": "moved_out", "target_region": "220204", "reason": "迁居"}, format="json")
    assert response.status_code == 200 and response.json()["region_code"] == "220204"
    assert api_for(caseworker).get(f"/api/v1/child-welfare/cases/{case.pk}/").status_code == 404


def test_transfer_needs_a_county_in_another_region(caseworker):
    case = report(caseworker)
    for target, code in (("", "target_region_required"), ("220200", "target_region_required"),
                         ("220102", "target_region_same")):
        with pytest.raises(ApplicationError) as refused:
            services.case_transition(user=caseworker, case_id=case.pk, action="close", reason="迁居",
                                     closure_reason="moved_out", target_region_code=target)
        assert refused.value.code == code


def test_transfer_to_a_region_without_a_caseworker_leaves_it_for_the_supervisor(caseworker):
    case = report(caseworker)
    case = services.case_transition(user=caseworker, case_id=case.pk, action="close", reason="迁居",
                                    closure_reason="moved_out", target_region_code="220581")
    assert case.region_id == "220581" and case.assigned_worker is None
