"""离线入户探访, the server's side of the page: who opens it, what the cached page holds (no case data), the service
worker's script and headers, and sign-out wiping the device (docs/offline-visits.md)."""

import pytest
from django.urls import reverse

from apps.child_welfare.views.offline import SERVICE_WORKER
from tests.child_welfare.conftest import report

pytestmark = pytest.mark.django_db
OFFLINE = reverse("child_welfare:offline")


def test_the_page_is_the_visit_form_without_any_case_data(caseworker, client_for):
    case = report(caseworker, name="陈小雨")
    answer = client_for(caseworker).get(OFFLINE)
    assert answer.status_code == 200
    html = answer.content.decode()
    for name in ("visited_on", "visitors", "child_seen", "findings", "services_delivered"):  # forms.VisitForm
        assert f'name="{name}"' in html
    assert 'data-cases-url="/api/v1/child-welfare/cases/offline/"' in html
    assert f'data-user="{caseworker.pk}"' in html
    # The page is cached as it is: the child's name, ID number and case number come from the case list only.
    assert "陈小雨" not in html and case.child.id_number not in html and case.reference not in html


def test_integration_accounts_are_refused_and_anonymous_users_sign_in(integration_client, client_for, client):
    assert client_for(integration_client).get(OFFLINE).status_code == 403
    client.logout()
    answer = client.get(OFFLINE)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))


def test_the_service_worker_is_a_script_at_the_root_for_everyone(client, settings):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in answer["Cache-Control"]
    assert "Content-Security-Policy" in answer
    source = answer.content.decode()
    # The script names the page and the case list it keeps: they are these URLs.
    assert f'var SHELL = "{OFFLINE}";' in source
    assert f'var CASES = "{reverse("cw-case-offline")}";' in source
    assert client.post("/sw.js").status_code == 405
    assert SERVICE_WORKER == "child_welfare/offline-sw.js"


def test_signing_out_tells_the_browser_to_clear_the_sites_storage(caseworker, client_for):
    web = client_for(caseworker)
    answer = web.post(reverse("logout"))
    assert answer.status_code == 302
    assert answer["Clear-Site-Data"] == '"cache", "storage"'
    assert web.get(OFFLINE).status_code == 302  # signed out


def test_the_subnav_links_the_page(caseworker, client_for):
    assert f'href="{OFFLINE}"' in client_for(caseworker).get(reverse("child_welfare:dashboard")).content.decode()
