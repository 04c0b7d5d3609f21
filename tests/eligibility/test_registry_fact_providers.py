"""Person facts from the registries: households and children, status tags valid on a day, insurance enrollments."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.applicants import eligibility_facts as person_facts
from apps.applicants.models import InsuranceEnrollment, StatusTag
from apps.applicants.services import household_add_member
from apps.eligibility.models import BenefitMatch
from apps.eligibility.selectors import calculation_compute, calculator_get
from apps.eligibility.services import benefit_match_run
from tests.factories import EnrollmentFactory, PersonFactory, StatusTagFactory

AS_OF = date(2026, 6, 1)
pytestmark = pytest.mark.django_db


def family(parent_birth=date(1992, 4, 2), *child_births, female=True, relation="child"):
    parent = PersonFactory(region_id="220102", name="家长", birth=parent_birth, female=female)
    children = []
    for index, born in enumerate(child_births):
        child = PersonFactory(region_id="220102", name=f"孩子{index}", birth=born)
        household_add_member(person=parent, member=child, relation=relation)
        children.append(child)
    return parent, children


def entries(person, as_of=AS_OF):
    return person_facts.person_benefit_entries(person, as_of)


# ---------------------------------------------------------------- childcare subsidy per child


@pytest.mark.parametrize(("births", "relation", "expected"), [
    ((date(2025, 3, 10),), "child", ["子女 孩子0"]),                       # a 1-year-old
    ((date(2025, 3, 10), date(2026, 2, 1)), "child", ["子女 孩子0", "子女 孩子1"]),  # one entry per child
    ((date(2021, 3, 10),), "child", []),                                    # 5 years old: none
    ((date(2025, 3, 10),), "other", []),                                    # not a child of the household
])
def test_a_parent_gets_one_childcare_subsidy_entry_per_child_under_three(births, relation, expected):
    parent, children = family(date(1992, 4, 2), *births, relation=relation)
    found = [e for e in entries(parent) if e.calculator == "childcare-subsidy"]
    assert [e.label.split("（")[0] for e in found] == expected
    assert [e.subject for e in found] == [c for c in children if f"子女 {c.name}" in expected]
    for entry in found:
        assert entry.facts.child_birth_date == entry.subject.birth_date and entry.facts.year == 2026


def test_a_child_under_three_still_gets_its_own_entry():
    _parent, (child,) = family(date(1992, 4, 2), date(2025, 3, 10))
    (entry,) = [e for e in entries(child) if e.calculator == "childcare-subsidy"]  # the births programmes aside
    assert entry.calculator == "childcare-subsidy" and entry.subject == child and entry.label.startswith("孩子0")


# ---------------------------------------------------------------- preschool aid: tags valid on the day


@pytest.mark.parametrize(("since", "until", "shown"), [
    (date(2025, 1, 1), None, True),                 # open-ended
    (date(2025, 1, 1), date(2026, 12, 31), True),   # valid on the day
    (date(2025, 1, 1), date(2026, 5, 31), False),   # expired the day before
    (date(2026, 6, 2), None, False),                # not yet valid
])
def test_a_childs_minimum_living_tag_counts_only_when_valid_on_the_day(since, until, shown):
    parent, (child,) = family(date(1992, 4, 2), date(2022, 9, 1))
    StatusTagFactory(person=child, tag=StatusTag.Tag.MINIMUM_LIVING, since=since, until=until)
    pending = [p for p in person_facts.person_pending_benefits(parent, AS_OF, set())
               if p.calculator == "preschool-aid"]
    assert len(pending) == 1 and pending[0].missing.startswith("子女 孩子0")
    assert ("已登记低保家庭儿童" in pending[0].missing) is shown
    assert "需要幼儿园" in pending[0].missing  # no kindergarten in the registry: nothing derived
    assert not [e for e in entries(parent) if e.calculator == "preschool-aid"]


# ---------------------------------------------------------------- maternity allowance from the enrollment


@pytest.mark.parametrize(("start", "end", "months_contributed", "eligible", "months"), [
    (date(2024, 3, 1), None, 30, True, 23),              # months up to the delivery date, not to today
    (date(2024, 3, 1), None, 14, True, 14),              # capped by the registry's contributed months
    (date(2025, 9, 1), None, None, False, 5),            # too short: an ineligible result, shown as such
])
def test_a_flexible_worker_with_a_newborn_gets_maternity_allowance(start, end, months_contributed, eligible, months):
    mother, (baby,) = family(date(1994, 1, 8), date(2026, 2, 1))
    EnrollmentFactory(person=mother, kind=InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL, start_date=start, end_date=end,
                     contribution_base=Decimal("6225.00"), months_contributed=months_contributed)
    (entry,) = [e for e in entries(mother) if e.calculator == "maternity-allowance"]
    assert entry.facts.delivery_date == baby.birth_date and entry.facts.flexible_worker
    assert entry.facts.continuous_enrollment_months == months and entry.subject == mother
    result = calculation_compute(calculator=calculator_get("maternity-allowance"), facts=entry.facts,
                                 region_code=mother.region_id).result
    assert result.eligible is eligible
    if eligible:
        # the enrollment's base 6,225.00 (83% × 7,500.00) ÷ 30 × 98 days
        assert result.data["contribution_base"] == Decimal("6225.00")
        assert result.amount == Decimal("6225.00") * 98 / 30 == Decimal("20335.00")


@pytest.mark.parametrize(("base", "amount", "source"), [
    (Decimal("6000.00"), Decimal("19600.00"), "enrollment"),  # her own base: 6,000.00 ÷ 30 × 98
    (None, Decimal("20335.00"), "average_wage"),  # none recorded: 83% × 7,500.00 ÷ 30 × 98
])
def test_maternity_allowance_on_the_enrollments_own_base(base, amount, source):
    mother, _ = family(date(1994, 1, 8), date(2026, 2, 1))
    EnrollmentFactory(person=mother, kind=InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL, start_date=date(2024, 3, 1),
                      contribution_base=base, months_contributed=None)
    (entry,) = [e for e in entries(mother) if e.calculator == "maternity-allowance"]
    assert entry.facts.contribution_base == base
    result = calculation_compute(calculator=calculator_get("maternity-allowance"), facts=entry.facts,
                                 region_code=mother.region_id).result
    assert (result.amount, result.data["contribution_base_source"]) == (amount, source)


@pytest.mark.parametrize(("case", "pending"), [
    ("no enrollment", "无分娩时有效的灵活就业职工医保参保记录"),
    ("enrollment ended before delivery", "无分娩时有效的灵活就业职工医保参保记录"),
    ("child older than a year", "家庭登记中无近一年内出生的子女"),
    ("father", None),
])
def test_no_maternity_entry_without_the_facts(case, pending):
    born = date(2024, 1, 5) if case == "child older than a year" else date(2026, 2, 1)
    parent, _ = family(date(1994, 1, 8), born, female=case != "father")
    if case == "enrollment ended before delivery":
        EnrollmentFactory(person=parent, start_date=date(2023, 1, 1), end_date=date(2025, 12, 31))
    assert not [e for e in entries(parent) if e.calculator == "maternity-allowance"]
    texts = [p.missing for p in person_facts.person_pending_benefits(parent, AS_OF, set())
             if p.calculator == "maternity-allowance"]
    assert texts == ([] if pending is None else [texts[0]]) and (pending is None or pending in texts[0])


def test_leave_is_pending_with_the_children_found_and_no_employment_fact_guessed():
    parent, _ = family(date(1990, 1, 1), date(2025, 3, 10), female=False)
    (leave,) = [p for p in person_facts.person_pending_benefits(parent, AS_OF, set())
                if p.calculator == "leave-entitlements"]
    assert "孩子0（2025-03-10）" in leave.missing and "需要就业状况" in leave.missing
    StatusTagFactory(person=parent, tag=StatusTag.Tag.UNEMPLOYED, since=date(2026, 1, 1))
    assert not [p for p in person_facts.person_pending_benefits(parent, AS_OF, set())
                if p.calculator == "leave-entitlements"]


# ---------------------------------------------------------------- the panel and the daily matching


def test_panel_of_a_parent_shows_the_childs_subsidy(client_for, caseworker):
    today = timezone.localdate()
    parent, _ = family(date(1992, 4, 2), date(today.year - 1, 3, 10))
    body = client_for(caseworker).get(reverse("applicants:detail", args=[parent.pk])).content.decode()
    assert "国家育儿补贴" in body and "子女 孩子0（3周岁以下婴幼儿）" in body and "3,600.00" in body
    assert "可能适用、需补充信息的待遇" in body and "学前教育资助" in body


def _panel_page(client_for, caseworker, children: int):
    today = timezone.localdate()
    parent, kids = family(date(1992, 4, 2), *[date(today.year - 1, 1 + i, 10) for i in range(children)])
    for kid in kids:
        StatusTagFactory(person=kid, tag=StatusTag.Tag.ORPHAN, since=date(2020, 1, 1))
    EnrollmentFactory(person=parent)
    client = client_for(caseworker)
    client.get(reverse("applicants:detail", args=[parent.pk]))  # warm the session
    return client, reverse("applicants:detail", args=[parent.pk])


def test_panel_queries_do_not_grow_with_the_children(client_for, caseworker, django_assert_max_num_queries):
    client, url = _panel_page(client_for, caseworker, 1)
    with django_assert_max_num_queries(100) as one_child:
        client.get(url)
    budget = len(one_child)  # read now: the next request clears the connection's query log
    assert budget > 0
    client, url = _panel_page(client_for, caseworker, 3)
    with django_assert_max_num_queries(budget):
        body = client.get(url).content.decode()
    assert body.count("（3周岁以下婴幼儿）") == 3 and body.count("已登记孤儿") == 3


def test_matching_finds_the_parent_of_a_newborn_and_matches_the_childs_subsidy_once():
    mother, (baby,) = family(date(1994, 1, 8), date(2026, 2, 1))
    EnrollmentFactory(person=mother, start_date=date(2024, 3, 1), months_contributed=30)
    father = PersonFactory(region_id="220102", name="父亲", birth=date(1990, 1, 1))
    household_add_member(person=mother, member=father, relation="spouse")
    candidates = set(person_facts.person_candidates(AS_OF))
    assert {mother, father, baby} <= candidates
    assert benefit_match_run(as_of=AS_OF) == 2
    matches = {(m.person, m.calculator): m for m in BenefitMatch.objects.all()}
    assert set(matches) == {(mother, "maternity-allowance"), (baby, "childcare-subsidy")}
    # Her enrollment's own base (the factory's 5,000.00) ÷ 30 × 98 — no longer 83% × 社平工资 (fault 4).
    assert matches[(mother, "maternity-allowance")].amount == Decimal("16333.33")
    assert matches[(baby, "childcare-subsidy")].amount == Decimal("3300.00")
    assert benefit_match_run(as_of=AS_OF) == 0


def test_children_with_a_hardship_tag_are_candidates_and_adults_without_are_not():
    tagged = PersonFactory(region_id="220102", birth=date(2021, 5, 1))
    StatusTagFactory(person=tagged, tag=StatusTag.Tag.ORPHAN, since=date(2024, 1, 1))
    expired = PersonFactory(region_id="220102", birth=date(2021, 5, 1))
    StatusTagFactory(person=expired, tag=StatusTag.Tag.ORPHAN, since=date(2024, 1, 1), until=date(2025, 1, 1))
    adult = PersonFactory(region_id="220102", birth=date(1980, 5, 1))
    StatusTagFactory(person=adult, tag=StatusTag.Tag.MINIMUM_LIVING, since=date(2024, 1, 1))
    candidates = set(person_facts.person_candidates(AS_OF))
    assert tagged in candidates and expired not in candidates and adult not in candidates


@pytest.mark.parametrize("families", [1, 20])
def test_candidates_and_the_match_run_are_set_based(families, django_assert_max_num_queries):
    for _index in range(families):
        # One delivery date: the maternity snapshot is per delivery date (a few queries per distinct date).
        mother, (baby,) = family(date(1994, 1, 8), date(2026, 2, 1))
        EnrollmentFactory(person=mother)
        StatusTagFactory(person=baby, tag=StatusTag.Tag.MINIMUM_LIVING, since=date(2026, 3, 1))
    with django_assert_max_num_queries(2):  # the age limit, then one query with subqueries
        assert len(list(person_facts.person_candidates(AS_OF))) == 2 * families
    # age limit, candidate ids ×2, people, 4 registry reads, received, existing, parameters, insert, savepoints
    with django_assert_max_num_queries(25):
        assert benefit_match_run(as_of=AS_OF) == 2 * families


def test_the_registries_register_their_fact_providers():
    """Eligibility imports no registry: applicants and employers register their providers in AppConfig.ready."""
    from apps.applicants.eligibility_facts import PersonFacts
    from apps.eligibility.providers import APPLICANT, EMPLOYER, FACT_PROVIDERS
    from apps.employers.eligibility_facts import EmployerFacts

    assert isinstance(FACT_PROVIDERS[APPLICANT], PersonFacts)
    assert isinstance(FACT_PROVIDERS[EMPLOYER], EmployerFacts)


@pytest.mark.parametrize(("start", "end", "months"), [
    (date(2024, 3, 1), date(2025, 3, 1), 12),
    (date(2024, 3, 15), date(2025, 3, 14), 11),  # a day short of the 12th month
    (date(2024, 1, 31), date(2024, 2, 29), 1),  # relativedelta: a month from the 31st ends on the month's last day
    (date(2025, 5, 1), date(2025, 4, 1), 0),  # never negative
])
def test_continuous_months_are_whole_calendar_months(start, end, months):
    assert person_facts._months_between(start, end) == months


@pytest.mark.parametrize(("female", "listed"), [(True, True), (False, False)])
def test_the_benefits_panel_lists_maternity_medical_costs_with_what_to_enter(female, listed):
    """Issue 16: the registries hold no medical bills, so the panel names the benefit and asks for them."""
    parent, _ = family(date(1994, 1, 8), date(2026, 2, 1), female=female)
    texts = [p.missing for p in person_facts.person_pending_benefits(parent, AS_OF, set())
             if p.calculator == "maternity-medical"]
    assert bool(texts) is listed and (not listed or "住院分娩、产前检查或计划生育" in texts[0])
