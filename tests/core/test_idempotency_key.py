"""`Idempotency-Key` on the API's creating POSTs (issue 13, hole 2; apps.core.api.idempotency): the same key, user
and body replay the stored response without creating again; the same key with another body is a 422 with a stable
code and a Chinese message; keys expire; a request that fails frees its key. Every creating POST documents the
header (the schema is the list, so a new create cannot be forgotten). Concurrent requests: tests/security/test_races.py.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.applicants.models import Person
from apps.child_welfare.models import Visit
from apps.childcare.models import Institution
from apps.core.api.idempotency import HEADER, REUSED_CODE, REUSED_MESSAGE
from apps.core.demo import make_uscc
from apps.core.models import FormSubmission, IdempotencyKey
from apps.employers.models import Employer
from apps.imports.models import ImportBatch
from apps.refunds.models import RefundRun
from tests.child_welfare.conftest import report
from tests.imports.helpers import EMPLOYER_HEADER, employer_row, person_id, uscc

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str
    # (caseworker) -> (body, another body, format)
    bodies: Callable
    created: Callable  # () -> queryset of what it creates
    who: str = "caseworker"


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("employers.csv", "\n".join([EMPLOYER_HEADER, *rows]).encode(), content_type="text/csv")


ENDPOINTS = [
    Endpoint("applicants", "/api/v1/applicants/",
             lambda user: ({"id_number": person_id(20), "name": "周杰", "region_code": "220102"},
                           {"id_number": person_id(21), "name": "周杰", "region_code": "220102"}, "json"),
             lambda: Person.objects.all()),
    Endpoint("employers", "/api/v1/employers/",
             lambda user: ({"uscc": uscc(50), "name": "接口单位", "entity_type": "enterprise", "industry": "retail",
                            "region_code": "220102"},
                           {"uscc": uscc(51), "name": "另一单位", "entity_type": "enterprise", "industry": "retail",
                            "region_code": "220102"}, "json"),
             lambda: Employer.objects.all()),
    Endpoint("childcare_institutions", "/api/v1/childcare/institutions/",  # DRF's own create (the mixin)
             lambda user: ({"name": "API托育园", "uscc": make_uscc("220102", 777, "52"), "category": "private_inclusive",
                            "region_code": "220102", "places_toddler": 12},
                           {"name": "API托育园", "uscc": make_uscc("220102", 778, "52"), "category": "private_inclusive",
                            "region_code": "220102", "places_toddler": 12}, "json"),
             lambda: Institution.objects.all()),
    Endpoint("child_welfare_visits", "/api/v1/child-welfare/visits/",
             lambda user: (lambda case: ({"case": case.pk, "visited_on": date.today().isoformat(), "visitors": "王经办",
                                          "child_seen": True, "findings": "情绪稳定"},
                                         {"case": case.pk, "visited_on": date.today().isoformat(), "visitors": "李经办",
                                          "child_seen": True, "findings": "情绪稳定"}, "json"))(report(user)),
             lambda: Visit.objects.all()),
    Endpoint("refund_runs", "/api/v1/refund-runs/",  # 202
             lambda user: ({"year": 2025, "region": "220102", "dry_run": True},
                           {"year": 2025, "region": "220102", "dry_run": True, "overrides": {"large_rate": "0.5"}},
                           "json"),
             lambda: RefundRun.objects.all(), who="supervisor"),
    Endpoint("imports", "/api/v1/imports/",  # multipart: the file counts by its content, not the boundary
             lambda user: ({"kind": "employers", "file": employer_row(1)},
                           {"kind": "employers", "file": employer_row(2)}, "multipart"),
             lambda: ImportBatch.objects.all()),
]


def _post(api, endpoint: Endpoint, body: dict, fmt: str, key: str | None):
    headers = {HEADER: key} if key is not None else {}
    if fmt == "multipart":
        body = {name: _csv(value) if name == "file" else value for name, value in body.items()}
        return api.post(endpoint.url, body, format="multipart", headers=headers)
    return api.post(endpoint.url, body, format="json", headers=headers)


@pytest.fixture
def users(caseworker, supervisor):
    return {"caseworker": caseworker, "supervisor": supervisor}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_the_same_key_and_body_replay_the_first_response_and_create_once(endpoint, users, api_for):
    user = users[endpoint.who]
    body, _, fmt = endpoint.bodies(user)
    api = api_for(user)
    before = endpoint.created().count()
    first = _post(api, endpoint, body, fmt, "key-0001")
    assert first.status_code in (200, 201, 202), first.content
    after = endpoint.created().count()
    assert after == before + 1
    again = _post(api, endpoint, body, fmt, "key-0001")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert endpoint.created().count() == after


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_the_same_key_with_another_body_is_refused_with_422(endpoint, users, api_for):
    user = users[endpoint.who]
    body, other, fmt = endpoint.bodies(user)
    api = api_for(user)
    _post(api, endpoint, body, fmt, "key-0002")
    count = endpoint.created().count()
    refused = _post(api, endpoint, other, fmt, "key-0002")
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["detail"]) == (REUSED_CODE, REUSED_MESSAGE)
    assert endpoint.created().count() == count


def test_without_a_key_a_post_is_an_ordinary_post(api_for, caseworker):
    api = api_for(caseworker)
    case = report(caseworker)
    body = {"case": case.pk, "visited_on": date.today().isoformat(), "visitors": "王经办", "findings": "好"}
    for _ in range(2):
        assert api.post("/api/v1/child-welfare/visits/", body, format="json").status_code == 201
    assert Visit.objects.filter(case=case).count() == 2 and not IdempotencyKey.objects.exists()


def test_keys_are_per_user(api_for, caseworker, province_admin):
    body = {"uscc": uscc(60), "name": "甲单位", "entity_type": "enterprise", "industry": "retail",
            "region_code": "220102"}
    assert api_for(caseworker).post("/api/v1/employers/", body, format="json",
                                    headers={HEADER: "shared"}).status_code == 201
    other = api_for(province_admin).post("/api/v1/employers/", {**body, "uscc": uscc(61), "name": "乙单位"},
                                         format="json", headers={HEADER: "shared"})
    assert other.status_code == 201 and Employer.objects.count() == 2


def test_a_key_expires_after_the_setting(api_for, caseworker, settings):
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 24
    api = api_for(caseworker)
    case = report(caseworker)
    body = {"case": case.pk, "visited_on": date.today().isoformat(), "visitors": "王经办", "findings": "好"}
    api.post("/api/v1/child-welfare/visits/", body, format="json", headers={HEADER: "daily"})
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=23))
    api.post("/api/v1/child-welfare/visits/", body, format="json", headers={HEADER: "daily"})
    assert Visit.objects.filter(case=case).count() == 1  # still remembered
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    fresh = api.post("/api/v1/child-welfare/visits/", body, format="json", headers={HEADER: "daily"})
    assert fresh.status_code == 201 and not fresh.has_header("Idempotent-Replayed")
    assert Visit.objects.filter(case=case).count() == 2


def test_the_hourly_purge_deletes_expired_keys_and_form_tokens_only(caseworker):
    from apps.core.tasks import idempotency_keys_purge

    old = IdempotencyKey.objects.create(user=caseworker, key="old", endpoint="POST /x", fingerprint="0" * 64)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyKey.objects.create(user=caseworker, key="new", endpoint="POST /x", fingerprint="0" * 64)
    stale = FormSubmission.objects.create(token=uuid.uuid4(), user=caseworker)
    FormSubmission.objects.filter(pk=stale.pk).update(at=timezone.now() - timedelta(hours=25))
    fresh = FormSubmission.objects.create(token=uuid.uuid4(), user=caseworker)
    assert idempotency_keys_purge() == 2
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_refused_request_frees_its_key_for_the_corrected_one(api_for, caseworker):
    api = api_for(caseworker)
    body = {"uscc": uscc(70), "name": "外区单位", "entity_type": "enterprise", "industry": "retail",
            "region_code": "220204"}
    refused = api.post("/api/v1/employers/", body, format="json", headers={HEADER: "fix-me"})
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    corrected = api.post("/api/v1/employers/", {**body, "region_code": "220102"}, format="json",
                         headers={HEADER: "fix-me"})
    assert corrected.status_code == 201 and Employer.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "a b", "x" * 256, "键"])
def test_a_malformed_key_is_a_field_error(api_for, caseworker, key):
    response = api_for(caseworker).post("/api/v1/employers/", {}, format="json", headers={HEADER: key})
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert HEADER in response.json()["fields"]


def _creating_posts(schema: dict) -> list[str]:
    """Every POST that creates: its answers include 201 or 202, or it is one of the creating actions whose
    answer is 200 (an import batch, a computed claim, a category, a note, an assessment claim)."""
    answering_200 = {"/api/v1/imports/", "/api/v1/childcare/attendance/import/", "/api/v1/childcare/claims/compute/",
                     "/api/v1/child-welfare/cases/{id}/categories/", "/api/v1/child-welfare/cases/{id}/sensitive-notes/",
                     "/api/v1/training/enrollments/{id}/claim-assessment-subsidy/"}
    return [path for path, ops in schema["paths"].items() if "post" in ops
            and ({"201", "202"} & set(ops["post"]["responses"]) or path in answering_200)]


def test_every_creating_post_documents_the_header(client_for, caseworker):
    schema = json.loads(client_for(caseworker).get("/api/schema/?format=json").content)
    posts = _creating_posts(schema)
    assert len(posts) >= 22
    missing = [path for path in posts
               if not any(p["name"] == HEADER and p["in"] == "header" for p in schema["paths"][path]["post"].get(
                   "parameters", []))]
    assert missing == []
    state_moves = [path for path in schema["paths"] if path.endswith(("/approve/", "/transition/", "/transitions/"))]
    assert state_moves and all(
        not any(p["name"] == HEADER for p in schema["paths"][path]["post"].get("parameters", [])) for path in state_moves)
