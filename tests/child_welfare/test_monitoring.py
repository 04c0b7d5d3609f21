"""Visit frequency from the parameters, overdue worklists, escalation of high-risk cases (beat + worker)."""

import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from apps.child_welfare import monitoring, services
from apps.child_welfare.models import Escalation, Status
from apps.child_welfare.parameters import monitoring_intervals
from tests.child_welfare.conftest import report, walk

pytestmark = pytest.mark.django_db
TODAY = date.today()


def test_intervals_are_policy_parameters_with_a_source(db):
    from apps.eligibility.models import PolicyParameter

    assert monitoring_intervals(region_code="220102", as_of=TODAY) == {"high": 30, "medium": 60, "low": 90,
                                                                       "review": 180}
    row = PolicyParameter.objects.get(key="child_welfare.visit_interval_days.high")
    assert "困境儿童福利保障" in row.source and "示例值" in row.source  # title and note (issue 12 fault 8)


def test_next_visit_follows_the_risk_level(caseworker):
    case = report(caseworker, risk="high", reported_on=TODAY - timedelta(days=10))
    assert case.next_visit_due == TODAY + timedelta(days=20)
    case = services.case_set_risk(user=caseworker, case_id=case.pk, expected_version=case.version,
                                  risk_level="low", reason="情况好转")
    assert case.next_visit_due == TODAY + timedelta(days=80)


def test_a_region_override_of_the_interval_applies(caseworker):
    from apps.eligibility.models import PolicyParameter

    PolicyParameter.objects.create(key="child_welfare.visit_interval_days.high", name="长春高风险探访间隔",
                                   value_type="integer", value=14, valid_from=date(2025, 1, 1), region_id="220100",
                                   source_title="长春市示例")
    case = report(caseworker, risk="high", reported_on=TODAY)
    assert case.next_visit_due == TODAY + timedelta(days=14)


def test_overdue_high_risk_case_is_escalated_to_the_supervisor_once(caseworker, supervisor, client_for):
    overdue = report(caseworker, risk="high", reported_on=TODAY - timedelta(days=45))
    report(caseworker, risk="medium", reported_on=TODAY - timedelta(days=45))  # overdue? no: 60 days
    on_time = report(caseworker, risk="high", reported_on=TODAY - timedelta(days=5))
    assert monitoring.escalate_overdue_visits(today=TODAY) == 1
    assert monitoring.escalate_overdue_visits(today=TODAY) == 0  # idempotent
    escalation = Escalation.objects.get()
    assert escalation.case == overdue and escalation.supervisor == supervisor
    assert escalation.due_on == TODAY - timedelta(days=15)
    assert not Escalation.objects.filter(case=on_time).exists()
    page = client_for(supervisor).get(reverse("child_welfare:dashboard")).content.decode()
    assert "高风险逾期督办" in page and overdue.reference in page
    worklist = client_for(caseworker).get(reverse("child_welfare:dashboard")).context["overdue_visits"]
    assert [c.pk for c in worklist] == [overdue.pk]


def test_a_visit_seeing_the_child_resolves_the_escalation(caseworker):
    case = report(caseworker, risk="high", reported_on=TODAY - timedelta(days=45))
    monitoring.escalate_overdue_visits(today=TODAY)
    services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY, visitors="王经办", findings="x",
                          child_seen=False)
    assert Escalation.objects.get().resolved_at is None  # the child was not seen: the clock keeps running
    services.visit_record(user=caseworker, case_id=case.pk, visited_on=TODAY, visitors="王经办", findings="见到本人")
    case.refresh_from_db()
    assert Escalation.objects.get().resolved_at is not None
    assert case.last_visit_on == TODAY and case.next_visit_due == TODAY + timedelta(days=30)


def test_overdue_reviews_appear_on_the_worklist(caseworker):
    case = walk(caseworker, report(caseworker), Status.IN_SERVICE)
    type(case).objects.filter(pk=case.pk).update(next_review_due=TODAY - timedelta(days=1))
    from apps.child_welfare.selectors import overdue_reviews

    assert list(overdue_reviews(user=caseworker, today=TODAY)) == [case]


def test_the_job_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["child-welfare-escalate-overdue"]
    assert entry["task"] == "apps.child_welfare.tasks.escalate_overdue_visits"


def test_the_task_runs_eagerly(caseworker, supervisor):
    from apps.child_welfare.tasks import escalate_overdue_visits

    report(caseworker, risk="high", reported_on=TODAY - timedelta(days=40))
    escalate_overdue_visits.delay(TODAY.isoformat())
    assert Escalation.objects.count() == 1


@pytest.mark.celery_worker
def test_escalation_runs_in_a_real_worker(celery_worker_process, caseworker, supervisor):
    from apps.child_welfare.tasks import escalate_overdue_visits

    case = report(caseworker, risk="high", reported_on=TODAY - timedelta(days=40))
    escalate_overdue_visits.delay(TODAY.isoformat())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Escalation.objects.exists():
        time.sleep(0.5)
    escalation = Escalation.objects.get()
    assert escalation.case == case and escalation.supervisor == supervisor
