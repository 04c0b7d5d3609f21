"""Property-based API fuzz: schemathesis generates requests for every operation of /api/schema/ and the
portal answers each with something below 500, as a caseworker and as a province administrator.

Bounded: FUZZ_EXAMPLES per operation (positive data: values the schema allows, including edge values;
negative data for query strings and bodies), each request in a savepoint rolled back after it, so one
request's writes never change the next one's world. The figures (requests tried, 5xx found) are printed
with `-s`. Marked `fuzz` so a developer can deselect it (`-m "not fuzz"`); CI runs it.
"""

import json
import os
import traceback
from collections import Counter
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from schemathesis.core import NotSet
from schemathesis.generation import GenerationMode

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))


@pytest.fixture
def world(db):
    call_command("seed_demo", verbosity=0)


def _load_schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.status_code
    return schemathesis.openapi.from_dict(json.loads(response.content))


def _send(api: APIClient, case):
    """The case through the test client (same thread and transaction as the fixtures); None when the case's
    body has no encoding a real client could send (a nested dict as a multipart field)."""
    path, method = case.formatted_path, case.method.lower()
    params = {key: value for key, value in (case.query or {}).items()}
    extra = {key: str(value) for key, value in (case.headers or {}).items()
             if key.lower() not in ("content-type", "user-agent", "x-schemathesis-testcaseid", "authorization",
                                    "cookie", "content-length", "host")}
    if method in ("get", "delete", "head", "options"):
        return getattr(api, method)(path, params, **extra)
    if params:
        path += "?" + urlencode(params, doseq=True)
    body = None if isinstance(case.body, NotSet) else case.body
    media = (case.media_type or "application/json").split(";")[0]
    if body is None:
        return getattr(api, method)(path, **extra)
    if media == "application/json":
        raw = body if isinstance(body, bytes) else json.dumps(body)  # negative data: also bytes that are not JSON
        return getattr(api, method)(path, raw, content_type="application/json", **extra)
    if media == "multipart/form-data" and isinstance(body, dict):
        data = {}
        for key, value in body.items():
            if value is None or isinstance(value, (dict, list)):
                return None
            if isinstance(value, bytes):
                value = SimpleUploadedFile(f"{key}.csv", value)
            data[key] = value
        return getattr(api, method)(path, data, format="multipart", **extra)
    return None


def _body(response) -> bytes:
    """The answer's body for the report: a file download (a FileResponse: a notice PDF) streams, and reading its
    `.content` raises — the report's own crash was once counted as the endpoint's 500."""
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# Negative path parameters (`/cases/null/`, the path-converter fault of issue 13 hole 9) are fuzzed too: about
# one more minute on 2 busy cores (59 s → 123 s for both users, 0 responses ≥ 500). FUZZ_NEGATIVE_PATHS=0
# keeps path ids valid and breaks only queries and bodies.
NEGATIVE_PATHS = os.environ.get("FUZZ_NEGATIVE_PATHS", "1") == "1"


def _strategies(operation):
    """(mode, strategy) pairs: positive data, then negative data for query and body."""
    types = operation.get_request_payload_content_types()
    media = {"media_type": "application/json"} if "application/json" in types else {}
    yield GenerationMode.POSITIVE, operation.as_strategy(generation_mode=GenerationMode.POSITIVE, **media)
    if types and not media:
        return  # a multipart-only upload: negative multipart data has no encoding a client could send
    fixed = {} if NEGATIVE_PATHS else {"path_parameters": {p.name: "1" for p in operation.path_parameters}}
    yield GenerationMode.NEGATIVE, operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, **media, **fixed)


def fuzz(api: APIClient):
    schema = _load_schema(api)
    tried: Counter = Counter()
    errors: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for _mode, strategy in _strategies(operation):

            @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def check(case):
                label = f"{case.method.upper()} {case.operation.path}"
                try:
                    with transaction.atomic():
                        response = _send(api, case)
                        transaction.set_rollback(True)
                    if response is None:
                        return
                    tried[label] += 1
                    status = response.status_code
                    detail = _body(response)[:300].decode(errors="replace")  # read (and closed) every time
                except Exception:  # noqa: BLE001 — an exception out of a view is the 500 a user would get
                    tried[label] += 1
                    status, detail = 500, traceback.format_exc(limit=-3)
                if status >= 500 and label not in errors:
                    errors[label] = (f"{case.method} {case.formatted_path} query={case.query} "
                                     f"body={case.body!r:.200} → {status}\n{detail}")

            try:
                check()
            except Exception as error:  # noqa: BLE001 — a strategy that cannot generate is reported, not fatal
                if "Unsatisfiable" not in type(error).__name__:
                    raise
    return sum(tried.values()), len(tried), errors


@pytest.mark.parametrize("who", ["caseworker", "province_admin"])
def test_no_api_request_answers_5xx(world, who, request):
    user = request.getfixturevalue(who)
    api = APIClient()
    api.force_authenticate(user)
    api.raise_request_exception = True
    requests, operations, errors = fuzz(api)
    print(f"\nAPI fuzz as {who}: {requests} requests over {operations} operations, {len(errors)} with a 5xx")
    assert not errors, "\n\n".join(f"{label}: {text}" for label, text in errors.items())
