"""An id that does not exist and an id of a record the user may not see answer identically: same status, same
code, same message — the API is no oracle for which case ids or worker ids exist elsewhere."""

from datetime import date

import pytest

from apps.accounts.models import User
from tests.child_welfare.conftest import child_id, report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
UNKNOWN = 987_654_321


def _answer(response, field):
    body = response.json()
    return response.status_code, body.get("code"), body.get("fields", {}).get(field)


@pytest.mark.parametrize(("url", "payload"), [
    ("/api/v1/child-welfare/assessments/", {"assessed_on": "2025-03-01", "summary": "x", "domains": []}),
    ("/api/v1/child-welfare/plans/", {"domain": "safety", "action": "x", "responsible": "x"}),
    ("/api/v1/child-welfare/visits/", {"visited_on": "2025-03-01", "visitors": "x", "findings": "x"}),
    ("/api/v1/child-welfare/referrals/", {"agency": "x", "reason": "x"}),
])
def test_a_case_id_elsewhere_answers_like_an_unknown_one(url, payload, caseworker, other_caseworker, api_for):
    theirs = report(other_caseworker, region=other_caseworker.region_id)
    api = api_for(caseworker)
    unknown = api.post(url, {**payload, "case": UNKNOWN}, format="json")
    elsewhere = api.post(url, {**payload, "case": theirs.pk}, format="json")
    assert unknown.status_code == 400
    assert _answer(unknown, "case") == _answer(elsewhere, "case"), (unknown.json(), elsewhere.json())


def test_a_worker_id_elsewhere_answers_like_an_unknown_one(caseworker, other_caseworker, api_for):
    api = api_for(caseworker)
    payload = {"child_id_number": child_id(caseworker.region_id, date(2016, 3, 9)), "child_name": "李小明",
               "region_code": caseworker.region_id, "referral_source": "school", "reported_on": "2025-03-01"}
    unknown = api.post("/api/v1/child-welfare/cases/", {**payload, "assigned_worker": UNKNOWN}, format="json")
    elsewhere = api.post("/api/v1/child-welfare/cases/", {**payload, "assigned_worker": other_caseworker.pk},
                         format="json")
    assert unknown.status_code == 400
    assert _answer(unknown, "assigned_worker") == _answer(elsewhere, "assigned_worker"), (unknown.json(),
                                                                                       elsewhere.json())
    colleague = UserFactory(username="colleague", role=User.Role.CASEWORKER, region_id=caseworker.region_id)
    mine = api.post("/api/v1/child-welfare/cases/", {**payload, "assigned_worker": colleague.pk}, format="json")
    assert mine.status_code != 400 or "assigned_worker" not in mine.json()["fields"], mine.json()
