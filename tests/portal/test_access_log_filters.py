"""The access log (issue 15): filters by date range, user, action, record type and record; a CSV of what the
filters select; record types by their Chinese names; one entry per list view naming the records it showed."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.core import audit
from apps.core.models import AccessLog
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logs(caseworker):
    """Four entries by two users of the supervisor's city, one by a user elsewhere."""
    colleague = UserFactory(username="cw_chaoyang", role=caseworker.role, region_id="220104")
    people = [PersonFactory(region_id="220102", name=name) for name in ("甲一", "乙二", "丙三")]
    entries = {
        "view": audit.log_read(user=caseworker, obj=people[0]),
        "api": audit.log_read(user=colleague, obj=people[1], action=AccessLog.Action.API),
        "list": audit.log_bulk_read(user=caseworker, model=type(people[0]), ids=[p.pk for p in people],
                                    action=AccessLog.Action.VIEW),
        "old": _logged_days_ago(colleague, people[2], 40),
        "elsewhere": audit.log_read(user=UserFactory(username="cw_far", role=caseworker.role, region_id="220204"),
                                    obj=PersonFactory(region_id="220204", name="丁四")),
    }
    return people, entries


def _logged_days_ago(user, person, days: int) -> AccessLog:
    """A read written `days` days ago: an INSERT with its own time (the log is append-only on PostgreSQL, so
    an entry can't be back-dated by an UPDATE; `at` is auto_now_add)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_accesslog (user_id, at, action, object_type, object_id, object_label, "
                       "purpose, path) VALUES (%s, %s, 'view', 'applicants.person', %s, %s, '', '')",
                       [user.pk, timezone.now() - timedelta(days=days), str(person.pk), person.name])
    return AccessLog.objects.order_by("-pk").first()


def shown(client, **params) -> set[int]:
    response = client.get(reverse("access-log"), params)
    assert response.status_code == 200
    return {log.pk for log in response.context["page_obj"].object_list}


def test_each_filter_selects_its_entries(logs, supervisor, client_for):
    people, entries = logs
    client = client_for(supervisor)
    ids = {name: entry.pk for name, entry in entries.items()}
    today = timezone.localdate()
    cases = [
        ({}, {"view", "api", "list", "old"}),  # never the other region's
        ({"date_from": str(today - timedelta(days=1))}, {"view", "api", "list"}),
        ({"date_to": str(today - timedelta(days=30))}, {"old"}),
        ({"user": "cw_chaoyang"}, {"api", "old"}),
        ({"action": "api"}, {"api"}),
        ({"object_type": "applicants.person"}, {"view", "api", "list", "old"}),
        ({"object_type": "child_welfare.case"}, set()),
        ({"record": str(people[1].pk)}, {"api", "list"}),  # its own read and the list that showed it
        ({"record": str(people[0].pk), "action": "view"}, {"view", "list"}),
        ({"q": "丙三"}, {"old"}),
    ]
    for params, expected in cases:
        assert shown(client, **params) == {ids[name] for name in expected}, params


def test_a_filter_that_does_not_parse_is_a_400_not_ignored(logs, supervisor, client_for):
    response = client_for(supervisor).get(reverse("access-log"), {"date_from": "2025-13-45"})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_record_types_and_list_entries_read_as_people_read_them(logs, supervisor, client_for):
    people, _ = logs
    html = client_for(supervisor).get(reverse("access-log")).content.decode()
    assert "applicants.person" not in html.split("<tbody>")[1]  # 人员, not app.model
    assert "人员列表（3 条）" in html and str(people[2].pk) in html


def test_the_csv_export_follows_the_filters(logs, supervisor, client_for):
    people, _ = logs
    response = client_for(supervisor).get(reverse("access-log"), {"user": "cw_nanguan", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["时间", "用户", "姓名", "操作", "记录类型"]
    assert sorted(row[5] for row in rows[1:]) == sorted(["甲一", "人员列表（3 条）"])
    listed = next(row for row in rows[1:] if row[7] == "3")
    assert listed[6].split() == [str(p.pk) for p in people] and listed[4] == "人员"


def test_a_list_page_is_one_entry_naming_the_records_it_showed(caseworker, api_for, client_for):
    from tests.child_welfare.conftest import report

    cases = [report(caseworker), report(caseworker), report(caseworker)]
    api_for(caseworker).get("/api/v1/child-welfare/cases/")
    entries = list(AccessLog.objects.filter(action=AccessLog.Action.API))
    assert len(entries) == 1 and entries[0].record_count == 3
    assert sorted(entries[0].listed_ids) == sorted(str(case.pk) for case in cases)
    assert list(audit.reads_of("child_welfare.case", cases[0].pk)) == entries  # found among one case's reads
