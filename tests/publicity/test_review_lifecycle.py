"""The review of an official run (apps.refunds.publicity.REVIEW_LIFECYCLE): 初审 → 公示 → 复核, walked move by
move — who may make each, four eyes at both reviews, the window's boundaries, the window across a holiday."""

from datetime import date

import pytest

from apps.core.exceptions import ApplicationError
from apps.core.models import CalendarDay
from apps.publicity.models import Publication
from apps.publicity.services import publicity_window
from apps.refunds.models import RefundRun, RefundRunTransition
from apps.refunds.publicity import REVIEW_LIFECYCLE
from apps.refunds.services import run_approve, run_first_review, run_publish, run_reject
from tests.publicity.conftest import computed_run
from tests.refund_review import move_window

pytestmark = pytest.mark.django_db
S = RefundRun.Status


def refused(call, code: str, status: int):
    with pytest.raises(ApplicationError) as error:
        call()
    assert (error.value.code, error.value.status_code) == (code, status), error.value.message


def published(run, reviewer, on=date(2026, 12, 1)):
    run_first_review(run_id=run.pk, user=reviewer)
    return run_publish(run_id=run.pk, user=reviewer, today=on)


def test_the_table():
    table = {t.action: (set(t.sources), t.target, bool(t.roles), t.needs_reason, bool(t.confirm))
             for t in REVIEW_LIFECYCLE.transitions.values()}
    assert table == {
        "first_review": ({S.COMPUTED}, S.FIRST_REVIEWED, True, False, True),
        "publish": ({S.FIRST_REVIEWED}, S.PUBLICIZING, True, False, True),
        "approve": ({S.PUBLICIZING}, S.APPROVED, True, False, True),
        "reject": ({S.COMPUTED, S.FAILED, S.FIRST_REVIEWED, S.PUBLICIZING}, S.REJECTED, True, True, True),
    }
    assert S.COMPUTED.label == "待初审"


def test_first_review_is_a_reviewers_who_did_not_start_the_run(run, caseworker, supervisor):
    refused(lambda: run_first_review(run_id=run.pk, user=caseworker), "reviewer_required", 403)
    starter_run = computed_run(supervisor, region_id="220104")
    refused(lambda: run_first_review(run_id=starter_run.pk, user=supervisor), "four_eyes", 403)
    assert [t.action for t in REVIEW_LIFECYCLE.available(starter_run, supervisor)] == ["reject"]
    done = run_first_review(run_id=run.pk, user=supervisor, comment="核对无误")
    assert (done.status, done.first_reviewed_by, done.first_reviewed_at is not None) == (S.FIRST_REVIEWED, supervisor,
                                                                                         True)
    move = RefundRunTransition.objects.get(run=run)
    assert (move.action, move.from_status, move.to_status, move.user, move.note) == (
        "first_review", "computed", "first_reviewed", supervisor, "核对无误")


def test_publish_comes_after_the_first_review_and_opens_the_window(run, caseworker, supervisor):
    refused(lambda: run_publish(run_id=run.pk, user=supervisor), "run_not_first_reviewed", 409)
    run_first_review(run_id=run.pk, user=supervisor)
    refused(lambda: run_publish(run_id=run.pk, user=caseworker), "reviewer_required", 403)
    done = run_publish(run_id=run.pk, user=supervisor, today=date(2026, 12, 1))
    # Published on Tuesday 1 December: the window opens the next working day and lasts 5 working days.
    assert (done.status, done.publicity_starts_on, done.publicity_ends_on) == (S.PUBLICIZING, date(2026, 12, 2),
                                                                               date(2026, 12, 8))
    assert done.published_at is not None
    publication = Publication.objects.get(record_id=run.pk)
    assert (publication.starts_on, publication.ends_on, publication.working_days) == (date(2026, 12, 2),
                                                                                     date(2026, 12, 8), 5)
    move = RefundRunTransition.objects.get(run=run, action="publish")
    assert move.user == supervisor and "2026-12-02 至 2026-12-08" in move.note
    refused(lambda: run_publish(run_id=run.pk, user=supervisor), "run_not_first_reviewed", 409)  # once


@pytest.mark.parametrize(("published_on", "starts_on", "ends_on"), [
    (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 8)),    # Tuesday: the day itself never counts
    (date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 11)),   # Friday: opens on Monday
    (date(2026, 12, 5), date(2026, 12, 7), date(2026, 12, 11)),   # Saturday: the same
    # Across 国庆: 10-01..07 off, Saturday 10-10 worked (调休): Wed 09-30 → 10-08, 09, 10, 12, 13.
    (date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 13)),
    (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 12)),
])
def test_the_window_in_working_days(published_on, starts_on, ends_on):
    for day in range(1, 8):
        CalendarDay.objects.create(date=date(2026, 10, day), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 10), kind="workday", name="国庆节调休上班")
    assert publicity_window(published_on=published_on, days=5) == (starts_on, ends_on)


def test_the_window_length_is_the_policy_parameter(run, supervisor):
    from apps.eligibility.models import PolicyParameter

    parameter = PolicyParameter.objects.get(key="refund.publicity_working_days")
    assert parameter.value == 5 and "示例值" in parameter.name and parameter.source_title
    PolicyParameter.objects.filter(pk=parameter.pk).update(value=7)
    done = published(run, supervisor)
    assert done.publicity_ends_on == date(2026, 12, 10)
    assert Publication.objects.get(record_id=run.pk).parameter_version == parameter.pk


def test_approve_waits_for_the_window_and_two_other_reviewers(run, caseworker, supervisor, reviewer_b):
    refused(lambda: run_approve(run_id=run.pk, user=reviewer_b), "run_not_computed", 409)  # not yet published
    published(run, supervisor)
    ends = date(2026, 12, 8)
    refused(lambda: run_approve(run_id=run.pk, user=caseworker, today=date(2026, 12, 9)), "reviewer_required", 403)
    refused(lambda: run_approve(run_id=run.pk, user=supervisor, today=date(2026, 12, 9)), "four_eyes", 403)
    refused(lambda: run_approve(run_id=run.pk, user=reviewer_b, today=date(2026, 12, 2)), "publicity_window_open", 409)
    refused(lambda: run_approve(run_id=run.pk, user=reviewer_b, today=ends), "publicity_window_open", 409)
    done = run_approve(run_id=run.pk, user=reviewer_b, comment="公示期满无异议", today=date(2026, 12, 9))
    assert (done.status, done.decided_by, done.decision_comment) == (S.APPROVED, reviewer_b, "公示期满无异议")
    assert [m.action for m in run.transitions.order_by("id")] == ["first_review", "publish", "approve"]
    assert [h.status for h in done.history.order_by("history_date")][-3:] == ["first_reviewed", "publicizing",
                                                                              "approved"]


def test_the_starter_may_not_approve_either(supervisor, reviewer_b):
    run = computed_run(reviewer_b)
    published(run, supervisor)
    move_window(run, starts_on=date(2026, 12, 2), ends_on=date(2026, 12, 8))
    refused(lambda: run_approve(run_id=run.pk, user=reviewer_b, today=date(2026, 12, 9)), "four_eyes", 403)


def test_approve_is_refused_while_the_window_is_open_by_the_clock_too(run, supervisor, reviewer_b):
    published(run, supervisor, on=date.today())
    refused(lambda: run_approve(run_id=run.pk, user=reviewer_b), "publicity_window_open", 409)


def test_approve_asks_for_holds_and_is_not_blocked_by_them(run, supervisor, reviewer_b, monkeypatch):
    from apps.refunds.services import runs

    published(run, supervisor)
    monkeypatch.setattr(runs, "publicity_open_holds", lambda run: [object()])
    done = run_approve(run_id=run.pk, user=reviewer_b, today=date(2026, 12, 9))
    assert done.status == S.APPROVED
    assert "1 家单位因异议暂缓" in done.transitions.get(action="approve").note


@pytest.mark.parametrize("stage", ["computed", "first_reviewed", "publicizing"])
def test_reject_from_every_review_stage_with_a_reason(run, supervisor, reviewer_b, stage):
    if stage != "computed":
        run_first_review(run_id=run.pk, user=supervisor)
    if stage == "publicizing":
        run_publish(run_id=run.pk, user=supervisor, today=date(2026, 12, 1))
    refused(lambda: run_reject(run_id=run.pk, user=reviewer_b, comment=" "), "comment_required", 400)
    done = run_reject(run_id=run.pk, user=reviewer_b, comment="数据有误")
    assert done.status == S.REJECTED
    assert done.transitions.get(action="reject").note == "数据有误"
    refused(lambda: run_reject(run_id=run.pk, user=reviewer_b, comment="再退"), "run_not_computed", 409)


def test_dry_runs_never_enter_the_review(caseworker, supervisor):
    dry = computed_run(caseworker, official=False)
    assert dry.status_label == "试算完成"
    refused(lambda: run_first_review(run_id=dry.pk, user=supervisor), "run_is_dry_run", 409)
    assert not Publication.objects.exists()


def test_another_regions_reviewer_is_refused(run):
    from tests.factories import UserFactory

    outsider = UserFactory(username="sup_chuanying", role="supervisor", region_id="220204")
    refused(lambda: run_first_review(run_id=run.pk, user=outsider), "region_out_of_scope", 403)


def test_on_published_is_called_after_the_commit(run, supervisor, monkeypatch, django_capture_on_commit_callbacks):
    from apps.refunds import publicity

    called = []
    monkeypatch.setattr(publicity, "on_published", lambda run: called.append(run.pk))
    run_first_review(run_id=run.pk, user=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(run_id=run.pk, user=supervisor)
    assert called == [run.pk]
