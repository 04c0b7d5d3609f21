"""apps.core.bulk: the batch is refused whole (empty, no choice, too many) or done per record with a report; ids
that are not numbers, do not exist or are out of scope are reported alike; a bug rolls every record back."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from apps.core.bulk import NOT_FOUND_MESSAGE, BulkAction, BulkChoice, lifecycle_choices
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.lifecycle import Lifecycle, Transition
from apps.core.review import REVIEWER_MESSAGE
from apps.core.scoping import scope_queryset
from apps.eligibility.models import BenefitMatch
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CHOICES = (BulkChoice("handled", "标记为已办理"), BulkChoice("dismissed", "标记为不予办理", needs_note=True))


def _match(region="220102", name="甲"):
    return BenefitMatch.objects.create(person=PersonFactory(region_id=region, name=name), calculator="childcare-subsidy",
                                       year=2026, as_of=date(2026, 6, 1), facts={}, result={}, amount=Decimal("300.00"))


def _action(perform):
    return BulkAction(name="t", label="测试", choices=lambda user: CHOICES, perform=perform,
                      queryset=lambda user: scope_queryset(BenefitMatch.objects.select_related("person"), user,
                                                           "person__region"),
                      describe=lambda m: m.person.name)


def _mark(match, user, choice, note):
    if match.status != "open":
        raise ConflictError("match_already_resolved", "该线索已处理")
    BenefitMatch.objects.filter(pk=match.pk).update(status=choice.value, note=note)


@pytest.mark.parametrize(("ids", "choice", "note", "code"), [
    ([], "handled", "", "bulk_empty"),
    (["", "  "], "handled", "", "bulk_empty"),
    (["1"], "", "", "bulk_choice_required"),
    (["1"], "approve", "", "bulk_choice_required"),  # not one of this bar's choices
    (["1"], "dismissed", " ", "reason_required"),
])
def test_a_batch_without_records_a_choice_or_a_needed_reason_is_refused_whole(caseworker, ids, choice, note, code):
    match = _match()
    with pytest.raises(ApplicationError) as refused:
        _action(_mark).run(user=caseworker, ids=ids, choice=choice, note=note)
    assert refused.value.code == code and refused.value.message
    match.refresh_from_db()
    assert match.status == "open"


@pytest.mark.parametrize(("count", "refused"), [(3, False), (4, True)])
def test_the_batch_size_is_bounded_by_the_setting(caseworker, settings, count, refused):
    settings.BULK_ACTION_MAX_RECORDS = 3
    matches = [_match(name=f"人{i}") for i in range(count)]
    ids = [str(m.pk) for m in matches] + [str(matches[0].pk)]  # a repeated id counts once
    if refused:
        with pytest.raises(ApplicationError) as error:
            _action(_mark).run(user=caseworker, ids=ids, choice="handled")
        assert error.value.code == "bulk_too_many" and "最多批量处理 3 条" in error.value.message
        assert not BenefitMatch.objects.exclude(status="open").exists()
    else:
        report = _action(_mark).run(user=caseworker, ids=ids, choice="handled")
        assert len(report.done) == 3 and report.skipped == []


def test_unknown_non_numeric_and_out_of_scope_ids_are_reported_alike(caseworker):
    mine, theirs = _match(), _match(region="220204", name="船营人")
    report = _action(_mark).run(user=caseworker, ids=[str(mine.pk), "abc", "99999999", str(theirs.pk), "-1",
                                                      "1" * 30], choice="handled")
    assert [row["label"] for row in report.done] == ["甲"]
    assert {row["reason"] for row in report.skipped} == {NOT_FOUND_MESSAGE}
    assert [row["label"] for row in report.skipped] == ["#abc", "#99999999", f"#{theirs.pk}", "#-1", f"#{'1' * 20}"]
    assert "船营人" not in str(report.as_dict())
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_each_record_is_done_alone_and_a_refusal_names_its_reason(caseworker):
    first, done_before, last = _match(name="一"), _match(name="二"), _match(name="三")
    BenefitMatch.objects.filter(pk=done_before.pk).update(status="handled")

    def mark_then_fail_on_last(match, user, choice, note):
        _mark(match, user, choice, note)
        if match.pk == last.pk:  # wrote, then refused: its savepoint rolls back its own write only
            raise ApplicationError("refused_here", "此条不能处理", {"note": ["原因"]})

    report = _action(mark_then_fail_on_last).run(user=caseworker, ids=[first.pk, done_before.pk, last.pk],
                                                 choice="handled")
    assert [r["label"] for r in report.done] == ["一"]
    assert [(r["label"], r["reason"]) for r in report.skipped] == [("二", "该线索已处理"), ("三", "此条不能处理（原因）")]
    assert dict(BenefitMatch.objects.values_list("person__name", "status")) == {
        "一": "handled", "二": "handled", "三": "open"}


def test_a_bug_is_not_a_refusal_it_propagates(caseworker):
    match = _match()

    def broken(match, user, choice, note):
        raise IntegrityError("boom")

    with pytest.raises(IntegrityError):
        _action(broken).run(user=caseworker, ids=[match.pk], choice="handled")


def test_the_records_are_loaded_in_one_query(caseworker):
    action = _action(lambda m, u, c, n: BenefitMatch.objects.filter(pk=m.pk).update(status="handled"))

    def queries(count: int) -> int:
        matches = [_match(name=f"人{i}") for i in range(count)]
        with CaptureQueriesContext(connection) as captured:
            action.run(user=caseworker, ids=[m.pk for m in matches], choice="handled")
        return len(captured.captured_queries)

    queries(1)  # warms the user's region
    few, many = queries(4), queries(12)
    assert many - few == 8 * 3  # per record: its savepoint, its own write, the release — the load is one query
    assert few == 4 * 3 + 1


LIFECYCLE = Lifecycle(transitions=[
    Transition("go", "前进", ("a",), "b", confirm="确认前进？"),
    Transition("check", "审核", ("b",), "c", roles=("supervisor", "administrator"), needs_reason=True),
], status_label=lambda s: {"a": "甲", "b": "乙", "c": "丙"}[s])


def test_lifecycle_choices_are_the_moves_the_role_may_make(caseworker, supervisor):
    assert [c.value for c in lifecycle_choices(LIFECYCLE, ("go", "check"), caseworker)] == ["go"]
    go, check = lifecycle_choices(LIFECYCLE, ("go", "check"), supervisor)
    assert (go.confirm, check.confirm, check.needs_note) == ("确认前进？", "状态将变为“丙”。", True)


def test_offers_give_the_refusal_of_the_role_and_of_an_actor_guard(caseworker, supervisor):
    class Record:
        status = "b"
        maker_id = supervisor.pk

    def not_mine(obj, user, payload):
        return "不能审核自己提交的申请" if obj.maker_id == user.pk else None

    lifecycle = Lifecycle(transitions=[Transition("check", "审核", ("b",), "c", roles=("supervisor",),
                                                  actor_guards=(not_mine,))], status_label=str)
    assert [(o.action, o.refusal) for o in lifecycle.offers(Record(), caseworker)] == [("check", REVIEWER_MESSAGE)]
    assert [(o.label, o.refusal) for o in lifecycle.offers(Record(), supervisor)] == [("审核", "不能审核自己提交的申请")]
    assert lifecycle.available(Record(), supervisor) == []
    Record.maker_id = None
    assert [o.refusal for o in lifecycle.offers(Record(), supervisor)] == [""]
    assert [t.action for t in lifecycle.available(Record(), supervisor)] == ["check"]
