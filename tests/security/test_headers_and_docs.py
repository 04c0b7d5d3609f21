"""Smaller leaks (issue 13, hole 11): API docs closed to anonymous users, no caching of personal data,
a Content-Security-Policy without inline script."""

import json
import os
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
