"""Smaller leaks (issue 13, hole 11): API docs closed to anonymous users, no caching of personal data,
a Content-Security-Policy without inline script."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DOCS = ["/api/schema/", "/api/docs/", "/api/redoc/"]


@pytest.mark.parametrize("url", DOCS)
def test_api_docs_and_schema_are_closed_to_anonymous_users(url, client, caseworker, client_for):
    assert client.get(url).status_code in (401, 403)
    assert client_for(caseworker).get(url).status_code == 200


def test_production_settings_close_the_docs_and_dev_opens_them():
    probe = ("import json, django; django.setup(); from django.conf import settings as s; "
             "print(json.dumps(s.SPECTACULAR_SETTINGS.get('SERVE_PERMISSIONS')))")
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}

    def permissions(module, **env):
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                                cwd=settings.BASE_DIR, env={**clean, "DJANGO_SETTINGS_MODULE": module, **env})
        return json.loads(result.stdout)

    assert permissions("config.settings.prod", SECRET_KEY="x" * 50,
                       DATABASE_URL="postgres://u:p@db:5432/portal") == ["rest_framework.permissions.IsAuthenticated"]
    assert permissions("config.settings.dev") == ["rest_framework.permissions.AllowAny"]


def test_api_responses_are_not_stored(caseworker, api_for):
    person = PersonFactory(region_id=caseworker.region_id)
    api = api_for(caseworker)
    for url in ("/api/v1/applicants/", f"/api/v1/applicants/{person.pk}/", "/api/v1/applicants/0/"):
        response = api.get(url)
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" in APIClient().get("/api/v1/applicants/")["Cache-Control"]


def test_pages_of_a_signed_in_user_are_not_stored(caseworker, client_for):
    person = PersonFactory(region_id=caseworker.region_id)
    response = client_for(caseworker).get(reverse("applicants:detail", args=[person.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_every_page_carries_a_content_security_policy_without_inline_script_or_style(client, caseworker, client_for):
    for response in (client.get(reverse("login")), client_for(caseworker).get(reverse("dashboard")),
                     client_for(caseworker).get("/api/docs/"), client_for(caseworker).get("/admin/login/")):
        directives = _directives(response)
        assert directives["script-src"] == "'self'", directives
        assert directives["style-src"] == "'self'", directives
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_only_redoc_may_write_style_elements_and_its_scripts_stay_self(caseworker, client_for):
    """Redoc's bundle writes style elements as it renders: its page alone relaxes style-src, nothing else."""
    response = client_for(caseworker).get("/api/redoc/")
    directives = _directives(response)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert {k: v for k, v in directives.items() if k != "style-src"} == {
        k: v for k, v in settings.CONTENT_SECURITY_POLICY.items() if k != "style-src"}
    assert "fonts.googleapis.com" not in response.content.decode()  # the intranet reaches no internet


TEMPLATE_DIRS = [settings.BASE_DIR / "templates", *sorted((settings.BASE_DIR / "apps").glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
INLINE = {"script": INLINE_SCRIPT, "event handler": INLINE_HANDLER, "style attribute": INLINE_STYLE_ATTRIBUTE,
          "style element": STYLE_ELEMENT}


@pytest.mark.parametrize(("kind", "html"), [
    ("script", "<script>alert(1)</script>"),
    ("script", '<script type="module">'),
    ("event handler", '<button onclick="go()">'),
    ("style attribute", '<div class="progress-bar" style="width: {{ p }}%">'),
    ("style attribute", '<input name="q"\n       style="width:240px">'),
    ("style element", "<style>.notice { padding: 0 }</style>"),
])
def test_the_template_scan_finds_each_kind_of_inline_code(kind, html):
    assert INLINE[kind].search(html)
    assert not INLINE[kind].search('<script src="/static/portal/behaviour.js"></script><div class="pct-40">')


def test_no_template_has_an_inline_script_style_or_event_handler():
    """Every template of the project and of its apps: the policy refuses each of these in the browser."""
    paths = [path for folder in TEMPLATE_DIRS for path in sorted(folder.rglob("*.html"))]
    assert len(paths) > 80  # the scan reads the templates, not an empty folder
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for kind, pattern in INLINE.items():
            found += [f"{path.relative_to(settings.BASE_DIR)}: {kind}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)


def test_the_swagger_page_has_no_inline_script(caseworker, client_for):
    html = client_for(caseworker).get("/api/docs/").content.decode()
    assert not [m.group(0) for m in INLINE_SCRIPT.finditer(html)], html[:2000]


@pytest.mark.parametrize("url", DOCS[1:])
def test_the_api_docs_load_nothing_from_the_internet(url, caseworker, client_for):
    """Swagger and Redoc come from the vendored sidecar; drf-spectacular's Redoc page asks Google for fonts."""
    html = client_for(caseworker).get(url).content.decode()
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html) == [], html[:1500]


EXTERNAL = re.compile(r'(?:href|src)\s*=\s*["\']?(?:https?:)?//', re.IGNORECASE)


@pytest.mark.parametrize("url", ["/api/redoc/", "/api/docs/"])
def test_the_api_docs_assets_and_font_policy_name_no_internet_host(caseworker, client_for, url):
    """No font (or anything else) from fonts.googleapis.com or a CDN: the page, the scripts and stylesheets
    it names, and the policy that would block them anyway (font-src falls back to default-src 'self')."""
    from django.contrib.staticfiles import finders

    client = client_for(caseworker)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and not EXTERNAL.search(html), EXTERNAL.findall(html)
    directives = _directives(response)
    assert set(directives.get("font-src", directives["default-src"]).split()) <= {"'self'", "data:"}  # no host
    for asset in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        path = finders.find(asset)
        assert path, asset
        text = open(path, encoding="utf-8", errors="replace").read()
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com"):
            assert host not in text, f"{asset} names {host}"


def test_redocs_fonts_are_local_faces():
    from django.contrib.staticfiles import finders

    css = open(finders.find("portal/api_docs.css"), encoding="utf-8").read()
    for family in ("Roboto", "Montserrat"):
        face = re.search(r'@font-face \{ font-family: "' + family + r'";[^}]*\}', css)
        assert face and "url(" not in face[0] and "local(" in face[0], family
