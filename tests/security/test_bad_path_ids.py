"""Every API route with an id in its path, walked with ids that are not ids: a 404, never a 500.

The routes are enumerated from the URL resolver (not a hand list), so a new viewset or action is walked too.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

BAD_IDS = ["null", "1e3", "-1", "abc"]
METHODS = ["get", "put", "patch", "delete", "post"]
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()\\]|\\.|\[[^\]]*\])+\)|<(?:\w+:)?(?P<conv>\w+)>")


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text


def id_routes(prefix: str) -> list[str]:
    """Path templates under `prefix` with an id (`pk`, `<int:pk>`, …) and no format suffix."""
    found = []
    for route in _routes():
        if not route.startswith(prefix) or "format" in route:
            continue
        names = [m.group("name") or m.group("conv") for m in GROUP.finditer(route)]
        if names and all(name in ("pk", "id", "case_pk", "batch_pk") or name.endswith("pk") for name in names):
            found.append(route)
    return sorted(set(found))


def fill(route: str, value: str) -> str:
    return "/" + GROUP.sub(value, route)


def test_the_walk_finds_every_detail_route():
    routes = id_routes("api/v1/")
    assert len(routes) >= 35, routes
    assert "api/v1/imports/<int:pk>/" in routes


def test_non_numeric_ids_in_api_paths_never_answer_500(province_admin, api_for):
    api = api_for(province_admin)
    api.raise_request_exception = False  # count a 500 as a response, as a real client sees it
    tried, errors = 0, []
    for route in id_routes("api/v1/"):
        for value in BAD_IDS:
            url = fill(route, value)
            for method in METHODS:
                response = getattr(api, method)(url, {}, format="json")
                tried += 1
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {url} → {response.status_code}")
                elif response.status_code not in (404, 405):
                    errors.append(f"{method.upper()} {url} → {response.status_code} (expected 404)")
    print(f"API bad-id walk: {tried} requests, {len(errors)} failures")
    assert not errors, f"{len(errors)} of {tried}:\n" + "\n".join(errors[:60])


def test_non_numeric_ids_in_page_paths_never_answer_500(province_admin, client_for):
    client = client_for(province_admin)
    client.raise_request_exception = False
    tried, errors = 0, []
    routes = [r for r in id_routes("") if not r.startswith(("api/", "admin/"))]
    assert routes
    for route in routes:
        for value in BAD_IDS:
            for method in ("get", "post"):
                response = getattr(client, method)(fill(route, value))
                tried += 1
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {fill(route, value)} → {response.status_code}")
    print(f"page bad-id walk: {tried} requests, {len(errors)} 5xx")
    assert not errors, "\n".join(errors[:60])
