"""Tests that fail when the bulk-read audit of child-welfare lists is dropped (API, UI list, export).

A list that shows children's cases writes one access-log entry naming every case it showed the user may
open (issue 15: one entry per list view, not one per row); the masked region overview names only the cases
the user may open (none of another worker's).
"""

import pytest
from django.urls import reverse

from apps.core.models import AccessLog
from tests.child_welfare.conftest import report

pytestmark = pytest.mark.django_db


def logged(user, action) -> list[str]:
    """The cases named by the user's one entry of that action (a second entry fails the test)."""
    entries = list(AccessLog.objects.filter(user=user, action=action, object_type="child_welfare.case"))
    assert len(entries) <= 1, [entry.object_ids for entry in entries]
    if not entries:
        return []
    assert entries[0].record_count == len(entries[0].listed_ids)
    return sorted(entries[0].listed_ids)


def ids(*cases) -> list[str]:
    return sorted(str(case.pk) for case in cases)


def test_the_api_list_logs_one_api_read_per_case_it_returns(caseworker, api_for):
    cases = [report(caseworker), report(caseworker)]
    body = api_for(caseworker).get("/api/v1/child-welfare/cases/").json()
    assert sorted(str(row["id"]) for row in body["results"]) == ids(*cases)
    assert logged(caseworker, AccessLog.Action.API) == ids(*cases)
    log = AccessLog.objects.filter(user=caseworker, action=AccessLog.Action.API).first()
    assert log.path.startswith("/api/v1/child-welfare/cases/")


def test_the_ui_list_logs_one_view_per_case_on_the_page(caseworker, client_for):
    cases = [report(caseworker), report(caseworker)]
    response = client_for(caseworker).get(reverse("child_welfare:case-list"))
    assert response.status_code == 200
    assert logged(caseworker, AccessLog.Action.VIEW) == ids(*cases)


def test_the_region_overview_logs_only_the_cases_the_user_may_open(caseworker, unassigned_caseworker, client_for):
    theirs = report(caseworker)
    mine = report(unassigned_caseworker)
    response = client_for(unassigned_caseworker).get(reverse("child_welfare:case-list") + "?scope=region")
    assert response.status_code == 200
    assert {case.pk for case in response.context["page_obj"].object_list} >= {theirs.pk, mine.pk}
    assert logged(unassigned_caseworker, AccessLog.Action.VIEW) == ids(mine)


def test_the_list_export_logs_one_export_per_case_in_the_file(caseworker, client_for):
    cases = [report(caseworker), report(caseworker), report(caseworker)]
    response = client_for(caseworker).get(reverse("child_welfare:case-list-export"))
    assert response.status_code == 200
    assert logged(caseworker, AccessLog.Action.EXPORT) == ids(*cases)


def test_a_list_of_nothing_logs_nothing(caseworker, api_for, client_for):
    api_for(caseworker).get("/api/v1/child-welfare/cases/")
    client_for(caseworker).get(reverse("child_welfare:case-list"))
    assert AccessLog.objects.count() == 0
