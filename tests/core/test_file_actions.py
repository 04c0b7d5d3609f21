"""Every API action that answers with a file (apps/core/api/files.py): found through the router, each asked with
`?format=`. The fuzz's `GET /api/v1/childcare/claims/{id}/notice/?format=json` was the first: `json` or the
file's own format gives the view's answer, its errors as JSON (a 404 asked for with `?format=pdf` was typed
application/pdf, its body a dict's keys); any other format is 406 `not_acceptable`, as JSON."""

import json

import pytest
from django.urls import reverse
from rest_framework import renderers

from apps.core.api.files import FileNegotiation
from config.api_urls import router

pytestmark = pytest.mark.django_db

# The actions that answer with a file; a new one is found by its file renderers (or by file_action) below.
EXPECTED = {"childcare-claim-notice", "childcare-claim-export", "training-claim-notice", "refund-run-export",
            "refund-run-notices-download", "payment-batch-file", "export-job-api-download"}
NOT_FILES = (renderers.JSONRenderer, renderers.BrowsableAPIRenderer)


def file_actions() -> list[tuple[str, object, bool]]:
    """(url name, extra action, detail) of every router action with a file renderer or the file negotiation."""
    found = []
    for _prefix, viewset, basename in router.registry:
        for extra in viewset.get_extra_actions():
            classes = extra.kwargs.get("renderer_classes") or []
            has_file = any(not issubclass(r, NOT_FILES) for r in classes)
            if has_file or extra.kwargs.get("content_negotiation_class") is FileNegotiation:
                found.append((f"{basename}-{extra.url_name}", extra, extra.detail))
    return found


FILE_ACTIONS = file_actions()


def test_every_file_action_is_found_and_uses_the_file_negotiation():
    names = {name for name, _extra, _detail in FILE_ACTIONS}
    assert names == EXPECTED
    for name, extra, _detail in FILE_ACTIONS:
        assert extra.kwargs.get("content_negotiation_class") is FileNegotiation, name
        assert extra.kwargs["renderer_classes"][0] is renderers.JSONRenderer, name  # errors and the fallback


def _url(name: str, detail: bool) -> str:
    return reverse(name, args=[999_999_999]) if detail else reverse(name)


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _formats(extra) -> list[str]:
    return [r.format for r in extra.kwargs["renderer_classes"] if not issubclass(r, NOT_FILES)]


@pytest.mark.parametrize(("name", "extra", "detail"), FILE_ACTIONS, ids=[n for n, _e, _d in FILE_ACTIONS])
def test_a_file_action_answers_any_format_one_way(api_for, province_admin, name, extra, detail):
    api = api_for(province_admin)
    url = _url(name, detail)
    for fmt in ["json", *_formats(extra)]:
        response = api.get(url, {"format": fmt})
        assert response.status_code < 500, (name, fmt)
        if detail:  # an unknown id: the one JSON 404, whatever format was asked
            assert response.status_code == 404, (name, fmt, response.status_code)
            assert _json(response)["code"] == "not_found", (name, fmt)
        elif response.status_code >= 400:
            _json(response)
        if response.streaming:
            response.close()
    for fmt in ["api", "xml", "docx"]:
        response = api.get(url, {"format": fmt})
        assert response.status_code == 406, (name, fmt, response.status_code)
        assert _json(response)["code"] == "not_acceptable", (name, fmt)
