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


def test_a_transfer_to_a_worker_elsewhere_answers_like_an_unknown_worker(caseworker, api_for):
    """Moving a case out names the receiving region's worker: an id that names nobody and one of an account
    that is not that region's caseworker get the same refusal (the caller cannot see that region's users)."""
    case = report(caseworker, region=caseworker.region_id)
    elsewhere = UserFactory(username="cw_kuancheng", role=User.Role.CASEWORKER, region_id="220103")
    api = api_for(caseworker)
    move = {"action": "close", "closure_reason": "moved_out", "target_region": "220204", "reason": "随父母迁居"}
    unknown = api.post(f"/api/v1/child-welfare/cases/{case.pk}/transitions/", {**move, "target_worker": UNKNOWN},
                       format="json")
    other = api.post(f"/api/v1/child-welfare/cases/{case.pk}/transitions/",
                     {**move, "target_worker": elsewhere.pk}, format="json")
    assert unknown.status_code == 400, unknown.json()
    assert _answer(unknown, "target_worker") == _answer(other, "target_worker"), (unknown.json(), other.json())


def _case_edit(caseworker, other_caseworker, field):
    case = report(caseworker, region=caseworker.region_id)
    if field == "director":
        from apps.child_welfare.models import ChildrenDirector

        theirs = ChildrenDirector.objects.create(name="王主任", region_id=other_caseworker.region_id, community="x")
        return f"/api/v1/child-welfare/cases/{case.pk}/", theirs.pk, {"version": case.version}
    return f"/api/v1/child-welfare/cases/{case.pk}/", other_caseworker.pk, {"version": case.version}


def _attendance(caseworker, other_caseworker, field):
    from apps.childcare.models import Institution
    from apps.childcare.services.enrollments import enrollment_create
    from apps.core.demo import make_uscc

    institution = Institution.objects.create(name="船营区托育园", uscc=make_uscc("220204", 6_600_001, "52"),
                                             category=Institution.Category.PRIVATE_INCLUSIVE, region_id="220204")
    theirs = enrollment_create(institution=institution, child_id_number=child_id("220204", date(2024, 2, 3)),
                               child_name="船营托童", start_date=date(2025, 3, 1), age_group="toddler")
    return "/api/v1/childcare/attendance/", theirs.pk, {"month": "2025-04", "days_present": 20}


def _certificate(caseworker, other_caseworker, field):
    from apps.training.catalogue import load_occupations
    from apps.training.models import Occupation
    from tests.training.conftest import make_enrollment, make_program

    if not Occupation.objects.exists():
        load_occupations(Occupation)
    occupations = {o.code: o for o in Occupation.objects.all()}
    theirs = make_enrollment(make_program(occupations, region_id="220204"), other_caseworker)
    return "/api/v1/training/certificates/", theirs.pk, {"kind": "skill_level", "level": "junior",
                                                         "number": "C-1", "issued_on": "2026-05-10", "issuer": "x"}


def _program(caseworker, other_caseworker, field):
    from tests.training.conftest import make_provider

    theirs = make_provider("220204")
    return "/api/v1/training/programs/", theirs.pk, {
        "code": "P-ORACLE", "name": "家政班", "occupation_code": "DOM-01", "target_level": "junior",
        "funding_channel": "subsidised", "capacity": 30, "start_date": "2026-03-01", "end_date": "2026-04-30"}


@pytest.mark.parametrize(("make", "field", "method"), [
    (_case_edit, "assigned_worker", "patch"),
    (_case_edit, "director", "patch"),
    (_attendance, "enrollment", "post"),
    (_certificate, "enrollment", "post"),
    (_program, "provider", "post"),
])
def test_a_related_id_elsewhere_answers_like_an_unknown_one(make, field, method, caseworker, other_caseworker,
                                                           api_for):
    url, theirs, payload = make(caseworker, other_caseworker, field)
    api = api_for(caseworker)
    unknown = getattr(api, method)(url, {**payload, field: UNKNOWN}, format="json")
    elsewhere = getattr(api, method)(url, {**payload, field: theirs}, format="json")
    assert unknown.status_code == 400, unknown.content
    assert _answer(unknown, field) == _answer(elsewhere, field), (unknown.json(), elsewhere.json())
