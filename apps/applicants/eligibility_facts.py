"""The facts this registry offers eligibility: a person in, calculator facts out (the "applicant" provider).

Eligibility knows no registry: this app gathers a person's facts and registers `PersonFacts` with
apps.eligibility.providers in its AppConfig.ready(). Facts come from this app's selectors, read
set-based: a fixed number of queries for one person or a chunk of the daily matching job, however many
children they have.

What the registries tell, and what each benefit takes from them:
  * 国家育儿补贴 (R3): the person, if under the age limit, and each child under it (household: the person is
    head or spouse, the child's relation is 子女) — one entry per child, labelled "子女 …".
  * 灵活就业人员生育津贴 (R2): a woman with a child born in the last year (delivery date = the child's birth
    date) and a flexible-worker employee-medical-insurance enrollment in force on that date. Continuous months =
    whole months from the enrollment's start to the delivery date, capped by the registry's months contributed.
    The contribution base is the enrollment's own (缴费基数); the calculator falls back to 83% × 社平工资 only
    when the enrollment records none, and says which it used.
  * 学前教育资助 (R4): the hardship categories come from status tags valid on `as_of`; the registry has no
    kindergarten enrollment (托育 institutions are not kindergartens), so nothing is derived: the benefit is
    listed as pending with the categories found.
  * 假期待遇 (R5): the registry holds no employment (职工) fact; pending, with the children found.
  * 二孩、三孩生育奖励, 边境村生育奖励 (R3): each child (the person, or one of their children) born in the year up
    to `as_of` who is a 子女 of a household: its birth order among the household's children
    (selectors.children_places) and the household's region. One entry per child, on the child.
  * 儿童养育补贴 (R3): each such child under the subsidy's age limit in the year, with its birth order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.applicants.models import HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.applicants.selectors import (
    ChildPlace,
    children_places,
    enrollment_on,
    parents_of_children_born,
    people_children,
    people_enrollments,
    people_tagged_on,
    people_tags_on,
    person_get,
)
from apps.eligibility.calculators import (
    birth_reward,
    border_village_birth,
    child_rearing,
    childcare_subsidy,
    leave,
    maternity,
    maternity_medical,
    preschool_aid,
)
from apps.eligibility.calculators.leave import birthday
from apps.eligibility.calculators.registry import CALCULATORS
from apps.eligibility.parameters import childcare_age_limit, province_integers
from apps.eligibility.providers import APPLICANT, BenefitEntry, PendingBenefit

# Status tags → the preschool-aid calculator's child categories (R4). 脱贫/防返贫监测 is not mapped: a
# monitored household is not necessarily a former 建档立卡 one — only the 原建档立卡 tag says so.
PRESCHOOL_CATEGORIES = {
    StatusTag.Tag.MINIMUM_LIVING: "minimum_living_allowance",
    StatusTag.Tag.EXTREME_POVERTY: "extreme_poverty_support",
    StatusTag.Tag.ORPHAN: "orphan",
    StatusTag.Tag.DISABLED: "disabled",
    StatusTag.Tag.UNSUPPORTED_CHILD: "de_facto_unsupported",
    StatusTag.Tag.FORMERLY_REGISTERED_POOR: "former_registered_poor",
}
PRESCHOOL_AGE_LIMIT = 7  # preschool aid is looked at for children under 7 in the year
WORKING_AGE = 16
# The age limits that choose whom the matching job computes for (the calculators read their own values).
CHILDCARE_AGE = "childcare_subsidy.age_limit_years"
REARING_AGE = "child_rearing.age_limit_years"


@dataclass
class RegistryFacts:
    """What the registries hold for a set of people on `as_of`, read in a fixed number of queries."""

    as_of: date
    children: dict[int, list[Person]] = field(default_factory=dict)
    tags: dict[int, set[str]] = field(default_factory=dict)  # valid on as_of; people and their children
    flexible_enrollments: dict[int, list[InsuranceEnrollment]] = field(default_factory=dict)
    age_limit: int | None = None  # the childcare-subsidy age limit, when a batch caller read it once
    places: dict[int, ChildPlace] = field(default_factory=dict)  # children's birth orders (people and children)
    rearing_age_limit: int | None = None  # the child-rearing subsidy's age limit, when a batch caller read it


def registry_facts(people: list[Person], as_of: date) -> RegistryFacts:
    """Six queries for any number of people (children, their memberships, status tags, enrollments, the
    children's places in their households)."""
    children = people_children(people=people)
    ids = list({p.pk for p in people} | {c.pk for kids in children.values() for c in kids})
    return RegistryFacts(
        as_of=as_of,
        children=children,
        tags=people_tags_on(person_ids=ids, day=as_of),
        places=children_places(person_ids=ids),
        flexible_enrollments=people_enrollments(person_ids=[p.pk for p in people],
                                              kind=InsuranceEnrollment.Kind.FLEXIBLE_MEDICAL),
    )


def _under_age_in_year(birth_date: date, years: int, year: int) -> bool:
    """Under `years` on at least one day of `year` (born by its end, birthday not before 2 January)."""
    return birth_date <= date(year, 12, 31) and birthday(birth_date, years) > date(year, 1, 1)


def _months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (2024-03-01 → 2025-03-01 is 12)."""
    span = relativedelta(end, start)
    return max(0, span.years * 12 + span.months)


def _newborns(children: list[Person], as_of: date) -> list[Person]:
    """Children born in the year up to `as_of` (as_of − 1 year, as_of]: a delivery the allowance may be for."""
    return [c for c in children if as_of - timedelta(days=365) < c.birth_date <= as_of]


def _subjects(person: Person, registry: RegistryFacts) -> list[tuple[Person, str]]:
    """The person and their children, each with the name the panel shows."""
    return [(person, person.name)] + [(c, f"子女 {c.name}") for c in registry.children.get(person.pk, [])]


def person_benefit_entries(person: Person, as_of: date, *, age_limit: int | None = None,
                           registry: RegistryFacts | None = None) -> list[BenefitEntry]:
    """Every benefit the person and their children may get, with facts from the registries.

    `age_limit`: the childcare-subsidy age limit, passed in by batch callers so it is read once per run;
    `registry`: the registry facts of a chunk of people, read once per chunk.
    """
    registry = registry or registry_facts([person], as_of)
    subsidy_age = age_limit if age_limit is not None else childcare_age_limit(as_of)
    entries: list[BenefitEntry] = []
    if subsidy_age:
        for subject, name in _subjects(person, registry):
            if _under_age_in_year(subject.birth_date, subsidy_age, as_of.year):
                facts = childcare_subsidy.ChildcareSubsidyFacts(year=as_of.year, child_birth_date=subject.birth_date)
                entries.append(BenefitEntry(childcare_subsidy.NAME, facts, f"{name}（{subsidy_age}周岁以下婴幼儿）",
                                            subject))
    entry = _maternity_entry(person, registry)
    if entry is not None:
        entries.append(entry)
    entries += _birth_entries(person, registry)
    return entries


def _birth_entries(person: Person, registry: RegistryFacts) -> list[BenefitEntry]:
    """The births programmes (R3) for the person and each of their children with a place in a household."""
    as_of = registry.as_of
    rearing_age = registry.rearing_age_limit
    if rearing_age is None:
        rearing_age = province_integers(REARING_AGE, as_of=as_of)[REARING_AGE]
    entries: list[BenefitEntry] = []
    for subject, name in _subjects(person, registry):
        place = registry.places.get(subject.pk)
        if place is None:
            continue
        born = subject.birth_date
        about = f"{name}（第{place.birth_order}孩，{born:%Y-%m-%d}出生）"
        if _newborns([subject], as_of):
            entries.append(BenefitEntry(birth_reward.NAME, birth_reward.BirthRewardFacts(
                child_birth_date=born, birth_order=place.birth_order), about, subject))
            entries.append(BenefitEntry(border_village_birth.NAME, border_village_birth.BorderVillageBirthFacts(
                child_birth_date=born, region_code=place.household_region),
                f"{name}（{born:%Y-%m-%d}出生，家庭所在区划 {place.household_region}）", subject))
        if rearing_age and _under_age_in_year(born, rearing_age, as_of.year):
            entries.append(BenefitEntry(child_rearing.NAME, child_rearing.ChildRearingFacts(
                year=as_of.year, child_birth_date=born, birth_order=place.birth_order), about, subject))
    return entries


def _maternity_entry(person: Person, registry: RegistryFacts) -> BenefitEntry | None:
    if person.sex != Person.Sex.FEMALE:
        return None
    newborns = _newborns(registry.children.get(person.pk, []), registry.as_of)
    enrollments = registry.flexible_enrollments.get(person.pk, [])
    for child in sorted(newborns, key=lambda c: c.birth_date, reverse=True):
        enrollment = enrollment_on(enrollments, child.birth_date)
        if enrollment is None:
            continue
        months = _months_between(enrollment.start_date, child.birth_date)
        if enrollment.months_contributed is not None:
            months = min(months, enrollment.months_contributed)
        facts = maternity.MaternityFacts(delivery_date=child.birth_date, flexible_worker=True,
                                         continuous_enrollment_months=months,
                                         contribution_base=enrollment.contribution_base)
        return BenefitEntry(maternity.NAME, facts, f"{person.name}（子女 {child.name} {child.birth_date:%Y-%m-%d} 出生，"
                                                   f"灵活就业参保）", person)
    return None


def person_pending_benefits(person: Person, as_of: date, evaluated: set[str],
                            registry: RegistryFacts | None = None) -> list[PendingBenefit]:
    """Benefits the registries cannot tell yet — shown with what is missing, per person or child."""
    registry = registry or registry_facts([person], as_of)
    children = registry.children.get(person.pk, [])
    pending = []

    def add(name: str, missing: str) -> None:
        pending.append(PendingBenefit(name, CALCULATORS[name].title, missing))

    for subject, label in _subjects(person, registry):
        if not _under_age_in_year(subject.birth_date, PRESCHOOL_AGE_LIMIT, as_of.year):
            continue
        categories = sorted(preschool_aid.CHILD_CATEGORIES[PRESCHOOL_CATEGORIES[t]]  # type: ignore[index]
                            for t in registry.tags.get(subject.pk, set()) if t in PRESCHOOL_CATEGORIES)
        found = f"已登记{'、'.join(categories)}" if categories else "登记中无困难儿童类别"
        add(preschool_aid.NAME, f"{label}：{found}；需要幼儿园（普惠、备案）信息")
    adult = as_of.year - person.birth_date.year >= WORKING_AGE
    if adult and person.sex == Person.Sex.FEMALE and maternity.NAME not in evaluated:
        newborns = _newborns(children, as_of)
        if newborns:
            add(maternity.NAME, f"子女 {newborns[-1].name} {newborns[-1].birth_date:%Y-%m-%d} 出生；"
                                "登记中无分娩时有效的灵活就业职工医保参保记录")
        else:
            add(maternity.NAME, "需要分娩日期及灵活就业参保月数（家庭登记中无近一年内出生的子女）")
    if adult and person.sex == Person.Sex.FEMALE:
        # The registries hold no medical bills: the panel lists the benefit with what to enter.
        add(maternity_medical.NAME, "需要住院分娩、产前检查或计划生育的政策范围内费用及就诊日期（登记中无医疗费用信息）")
    if adult and StatusTag.Tag.UNEMPLOYED not in registry.tags.get(person.pk, set()):
        young = [c for c in children if _under_age_in_year(c.birth_date, 3, as_of.year)]
        if young:
            names = "、".join(f"{c.name}（{c.birth_date:%Y-%m-%d}）" for c in young)
            add(leave.NAME, f"子女 {names} 已登记；需要就业状况（是否为职工），登记中无此信息")
        else:
            add(leave.NAME, "需要就业状况（是否为职工）及子女出生或父母住院信息")
    return pending


def person_candidates(as_of: date) -> QuerySet[Person]:
    """People the daily matching job looks at, in one query: children under the childcare-subsidy age,
    parents (head or spouse) of a child born in the last year or under that age, and children under 7 with a
    hardship tag valid on `as_of`. Date bounds are generous; `person_benefit_entries` applies the exact rules."""
    limits = province_integers(CHILDCARE_AGE, REARING_AGE, as_of=as_of)  # one query
    limit = limits[CHILDCARE_AGE]
    if limit:
        # Generous date bound (one extra year).
        born_after = date(as_of.year - limit - 1, 1, 1)
        condition = Q(birth_date__gt=born_after, birth_date__lte=date(as_of.year, 12, 31))
    else:
        born_after = as_of - timedelta(days=366)  # maternity: a child born in the last year
        condition = Q(pk__in=[])
    parents = Q(Exists(parents_of_children_born(after=born_after, until=date(as_of.year, 12, 31))
                       .filter(person_id=OuterRef("pk"))))
    hardship = Q(Exists(people_tagged_on(tags=list(PRESCHOOL_CATEGORIES), day=as_of).filter(person_id=OuterRef("pk"))),
                 birth_date__gt=date(as_of.year - PRESCHOOL_AGE_LIMIT - 1, 1, 1))
    # The births programmes (R3): children of a household born in the last year, or under the child-rearing
    # subsidy's age limit.
    rearing_age = limits[REARING_AGE] or 0
    born_since = min(as_of - timedelta(days=366), date(as_of.year - rearing_age - 1, 1, 1))
    births = Q(household_membership__relation=HouseholdMember.Relation.CHILD, birth_date__gt=born_since,
               birth_date__lte=date(as_of.year, 12, 31))
    return Person.objects.filter(condition | parents | hardship | births)


class PersonFacts:
    """The "applicant" fact provider (apps.eligibility.providers.PersonFactProvider)."""

    subject = APPLICANT

    def get(self, *, user: Any, pk: int) -> Person:
        return person_get(user=user, pk=pk)

    def label(self, subject: Person) -> str:
        return subject.name

    def region_code(self, subject: Person) -> str:
        return subject.region_id

    def registry_context(self, subjects: Sequence[Person], *, as_of: date, cache: dict | None = None
                         ) -> RegistryFacts:
        registry = registry_facts(list(subjects), as_of)
        if cache is not None:  # the age limit is read once per matching run, not once per chunk
            if "age_limit" not in cache:
                limits = province_integers(CHILDCARE_AGE, REARING_AGE, as_of=as_of)
                cache["age_limit"], cache["rearing_age_limit"] = limits[CHILDCARE_AGE], limits[REARING_AGE]
            registry.age_limit = cache["age_limit"]
            registry.rearing_age_limit = cache["rearing_age_limit"]
        return registry

    def benefit_entries(self, subject: Person, *, as_of: date, calculator: str | None = None,
                        context: RegistryFacts | None = None, year: int | None = None) -> list[BenefitEntry]:
        entries = person_benefit_entries(subject, as_of, age_limit=context.age_limit if context else None,
                                         registry=context)
        return [e for e in entries if calculator is None or e.calculator == calculator]

    def pending_benefits(self, subject: Person, *, as_of: date, evaluated: set[str],
                         context: RegistryFacts | None = None) -> list[PendingBenefit]:
        return person_pending_benefits(subject, as_of, evaluated, context)

    def candidate_ids(self, *, as_of: date) -> QuerySet:
        return person_candidates(as_of).order_by("id").values_list("id", flat=True)

    def subjects(self, ids: Sequence[int]) -> list[Person]:
        return list(Person.objects.filter(id__in=ids).order_by("id"))
