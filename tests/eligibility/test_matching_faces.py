"""免申即享 for people: the daily job finds who now qualifies and has not received; caseworkers act on it."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from apps.applicants import eligibility_facts as person_facts
from apps.eligibility.calculators.registry import CALCULATORS, build_facts
from apps.eligibility.models import BenefitMatch
from apps.eligibility.services import benefit_match_resolve, benefit_match_run, determination_create
from apps.eligibility.tasks import match_benefits
from tests.factories import PersonFactory
from tests.queries import prime_worklist_counts

AS_OF = date(2026, 6, 1)


@pytest.fixture
def people(db):
    return {
        "newborn": PersonFactory(region_id="220102", name="新生儿甲", birth=date(2026, 2, 1)),
        "toddler": PersonFactory(region_id="220204", name="幼儿乙", birth=date(2024, 5, 20)),
        "too_old": PersonFactory(region_id="220102", name="四岁丙", birth=date(2022, 1, 15)),
        "adult": PersonFactory(region_id="220102", name="成人丁", birth=date(1990, 5, 17)),
    }


@pytest.mark.django_db
def test_children_under_three_are_matched_once_and_a_rerun_adds_nothing(people):
    assert benefit_match_run(as_of=AS_OF) == 2
    matches = {m.person.name: m for m in BenefitMatch.objects.select_related("person")}
    assert set(matches) == {"新生儿甲", "幼儿乙"}
    newborn = matches["新生儿甲"]
    assert newborn.calculator == "childcare-subsidy" and newborn.year == 2026
    assert newborn.amount == Decimal("3300.00")  # February to December 2026: 11 × 300
    assert newborn.result["eligible"] and newborn.result["parameters"]
    assert benefit_match_run(as_of=AS_OF) == 0
    assert benefit_match_run(as_of=date(2026, 11, 30)) == 0  # same year: same key
    assert BenefitMatch.objects.count() == 2


@pytest.mark.django_db
def test_a_new_year_is_a_new_match(people):
    benefit_match_run(as_of=AS_OF)
    assert benefit_match_run(as_of=date(2027, 1, 5)) == 2  # the newborn and the toddler, for 2027
    assert set(BenefitMatch.objects.values_list("year", flat=True)) == {2026, 2027}


@pytest.mark.django_db
def test_a_person_who_already_received_the_benefit_is_not_matched(people, caseworker):
    determination_create(user=caseworker, calculator="childcare-subsidy", person=people["newborn"],
                         facts={"year": 2026, "child_birth_date": "2026-02-01"})
    assert benefit_match_run(as_of=AS_OF) == 1
    assert BenefitMatch.objects.get().person == people["toddler"]


@pytest.mark.django_db
def test_preschool_aid_is_matched_from_supplied_facts(people):
    """The registry has no kindergarten enrollments: preschool-aid facts come from a source the caller gives."""
    aid = build_facts(CALCULATORS["preschool-aid"].facts_type, {
        "year": 2026, "kindergarten_inclusive": True, "kindergarten_approved": True, "urban": True,
        "child_categories": ["minimum_living_allowance"]})

    def source(person, as_of):
        entries = person_facts.person_benefit_entries(person, as_of)
        return [*entries, ("preschool-aid", aid, person.name)] if person.name == "幼儿乙" else entries

    benefit_match_run(as_of=AS_OF, facts_source=source)
    aid_match = BenefitMatch.objects.get(calculator="preschool-aid")
    assert aid_match.person == people["toddler"] and aid_match.amount == Decimal("2000.00")


@pytest.mark.django_db
def test_ineligible_results_are_not_matched(db):
    PersonFactory(region_id="220102", birth=date(2023, 1, 1))  # turns 3 on 2026-01-01: no month in 2026
    assert benefit_match_run(as_of=AS_OF) == 0


@pytest.mark.django_db
def test_task_runs_eagerly(people):
    match_benefits.delay(AS_OF.isoformat())
    assert BenefitMatch.objects.count() == 2


def test_daily_beat_schedule_runs_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["eligibility-match-benefits"]
    assert entry["task"] == "apps.eligibility.tasks.match_benefits"
    assert entry["schedule"].hour == {2}  # once a day, before the working day


@pytest.mark.celery_worker
def test_task_runs_in_a_real_worker_and_a_rerun_adds_nothing(celery_worker_process):
    PersonFactory(region_id="220102", name="新生儿甲", birth=date(2026, 2, 1))
    PersonFactory(region_id="220102", name="成人丁", birth=date(1990, 5, 17))
    for _ in range(2):
        match_benefits.delay(AS_OF.isoformat())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not BenefitMatch.objects.exists():
        time.sleep(0.5)
    time.sleep(2)  # let the second delivery finish too
    match = BenefitMatch.objects.get()
    assert match.person.name == "新生儿甲" and match.amount == Decimal("3300.00")


# ---------------------------------------------------------------- caseworkers act on matches


@pytest.mark.django_db
def test_match_list_is_scoped_and_query_count_is_constant(client_for, caseworker, people,
                                                          django_assert_num_queries):
    for index in range(4):
        PersonFactory(region_id="220102", name=f"南关婴儿{index}", birth=date(2025, 1, 1))
    benefit_match_run(as_of=AS_OF)
    client = client_for(caseworker)
    prime_worklist_counts(caseworker)  # the menu's 待办 counts: cached per user, pinned in tests/portal/test_worklist_page.py
    # session, user, user's region, count, one page with person and region joined
    with django_assert_num_queries(5):
        response = client.get(reverse("eligibility:match-list"))
    body = response.content.decode()
    assert "新生儿甲" in body and "南关婴儿3" in body and "幼儿乙" not in body
    assert "3,300.00" in body


@pytest.mark.django_db
def test_caseworker_marks_a_match_handled_and_it_leaves_the_open_list(client_for, caseworker, people):
    benefit_match_run(as_of=AS_OF)
    match = BenefitMatch.objects.get(person=people["newborn"])
    client = client_for(caseworker)
    response = client.post(reverse("eligibility:match-resolve", args=[match.pk]),
                           {"status": "handled", "note": "已电话联系家长，完成申领"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == "handled" and match.resolved_by == caseworker and match.note
    open_rows = client.get(reverse("eligibility:match-list")).context["page_obj"]
    handled_rows = client.get(reverse("eligibility:match-list") + "?status=handled").context["page_obj"]
    assert match not in open_rows and list(handled_rows) == [match]
    assert match.history.count() >= 1


@pytest.mark.django_db
def test_dismissing_needs_a_note_and_a_resolved_match_cannot_be_resolved_again(caseworker, people):
    from apps.core.exceptions import ApplicationError, ConflictError

    benefit_match_run(as_of=AS_OF)
    match = BenefitMatch.objects.get(person=people["newborn"])
    with pytest.raises(ApplicationError) as error:
        benefit_match_resolve(user=caseworker, match=match, status="dismissed", note="  ")
    assert error.value.code == "note_required"
    benefit_match_resolve(user=caseworker, match=match, status="dismissed", note="已在外省领取")
    with pytest.raises(ConflictError):
        benefit_match_resolve(user=caseworker, match=match, status="handled")


@pytest.mark.django_db
def test_caseworker_of_another_region_cannot_resolve(client_for, other_caseworker, people):
    benefit_match_run(as_of=AS_OF)
    match = BenefitMatch.objects.get(person=people["newborn"])
    response = client_for(other_caseworker).post(reverse("eligibility:match-resolve", args=[match.pk]),
                                                 {"status": "handled"})
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == "open"


@pytest.mark.django_db
def test_supplied_facts_are_parsed_with_the_calculators_rules(people):
    from apps.eligibility.calculators.registry import FactsError

    with pytest.raises(FactsError):
        build_facts(CALCULATORS["preschool-aid"].facts_type, {"year": "x"})
    facts = build_facts(CALCULATORS["preschool-aid"].facts_type, {
        "year": 2026, "kindergarten_inclusive": True, "kindergarten_approved": True, "urban": False})
    assert facts.child_categories == frozenset()


@pytest.mark.django_db
def test_a_lead_has_no_preselected_outcome_and_posting_none_changes_nothing(client_for, caseworker, people):
    """Issue 15: a caseworker must choose 已办理 or 不予办理; a row that pre-selected one was a click away
    from closing a lead by mistake."""
    benefit_match_run(as_of=AS_OF)
    match = BenefitMatch.objects.get(person=people["newborn"])
    client = client_for(caseworker)
    html = client.get(reverse("eligibility:match-list")).content.decode()
    assert '<option value="" selected disabled>请选择结果</option>' in html
    assert 'value="handled" selected' not in html and 'value="dismissed" selected' not in html
    client.post(reverse("eligibility:match-resolve", args=[match.pk]), {"note": "没选结果"})
    match.refresh_from_db()
    assert match.status == "open"
