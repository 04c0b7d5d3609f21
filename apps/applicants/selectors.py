from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from apps.applicants.filters import DuplicateFilter, PersonFilter
from apps.applicants.models import DuplicateCandidate, HouseholdMember, InsuranceEnrollment, Person, StatusTag
from apps.core.exceptions import ApplicationError
from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.core.validators import normalize_id_number


def person_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Person]:
    queryset = scope_queryset(Person.objects.select_related("region"), user)
    return filter_or_raise(PersonFilter, filters, queryset)


def person_get(*, user, pk: int) -> Person:
    return get_scoped_or_404(Person.objects.select_related("region", "hukou_region"), user, pk=pk)


PERSON_NOT_FOUND = "本区划人员库中没有该身份证号的人员，请先在“劳动者与申请人”中登记"


def person_by_id_number(*, user, id_number: str, field: str = "id_number") -> Person:
    """The registry person with this ID number, if the user may see them. Else the same refusal whether nobody
    has the number or someone outside the user's regions does (no probing): `person_not_found` on `field`.
    Every programme's form that names a person by ID number (fraud, start-up loans, eldercare, public posts)."""
    person = person_list(user=user).filter(id_number=normalize_id_number(id_number)).first()
    if person is None:
        raise ApplicationError("person_not_found", PERSON_NOT_FOUND, {field: [PERSON_NOT_FOUND]})
    return person


def person_region_by_id_number(*, id_number: str) -> str | None:
    """The region a person with this ID number is registered in, or None when nobody is."""
    return Person.objects.filter(id_number=id_number).values_list("region_id", flat=True).first()


def person_household(*, person: Person) -> list[HouseholdMember]:
    """The members of the person's household (the person included), head first."""
    membership = HouseholdMember.objects.filter(person=person).first()
    if membership is None:
        return []
    return list(HouseholdMember.objects.filter(household_id=membership.household_id)
                .select_related("person").order_by("relation", "person__birth_date"))


def person_children(*, person: Person) -> list[Person]:
    """Children of the household head and spouse; facts for childcare and preschool rules (R3, R4)."""
    members = person_household(person=person)
    me = next((m for m in members if m.person_id == person.pk), None)
    if me is None or me.relation not in (HouseholdMember.Relation.HEAD, HouseholdMember.Relation.SPOUSE):
        return []
    return [m.person for m in members if m.relation == HouseholdMember.Relation.CHILD]


def person_status_tags(*, person: Person) -> QuerySet[StatusTag]:
    return StatusTag.objects.filter(person=person).order_by("tag", "-since")


def person_enrollments(*, person: Person) -> QuerySet[InsuranceEnrollment]:
    return InsuranceEnrollment.objects.filter(person=person).order_by("kind", "-start_date")


# --- Facts for eligibility (apps.applicants.eligibility_facts): set-based, a fixed number of queries ----------


def _valid_on(day: date, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def people_children(*, people: list[Person]) -> dict[int, list[Person]]:
    """{person id: children} for many people in two queries — `person_children` for each of them."""
    parents = HouseholdMember.objects.filter(
        person_id__in=[p.pk for p in people],
        relation__in=(HouseholdMember.Relation.HEAD, HouseholdMember.Relation.SPOUSE),
    ).values_list("person_id", "household_id")
    by_household: dict[int, list[int]] = {}
    for person_id, household_id in parents:
        by_household.setdefault(household_id, []).append(person_id)
    result: dict[int, list[Person]] = {p.pk: [] for p in people}
    if not by_household:
        return result
    children = (HouseholdMember.objects.filter(household_id__in=by_household, relation=HouseholdMember.Relation.CHILD)
                .select_related("person").order_by("person__birth_date", "person_id"))
    for member in children:
        for parent_id in by_household[member.household_id]:
            result[parent_id].append(member.person)
    return result


class ChildPlace(NamedTuple):
    """A child's place in its household: its birth order (1 = the first child) and the household's region."""

    birth_order: int
    household_region: str


def children_places(*, person_ids: list[int]) -> dict[int, ChildPlace]:
    """{person id: ChildPlace} for those of the people who are a child (子女) of a household, in two queries —
    the birth order read from the household's children by birth date; born on the same day (twins), by
    registration (person id). The births programmes (R3) take it as the child's 孩次."""
    households = dict(HouseholdMember.objects.filter(person_id__in=person_ids, relation=HouseholdMember.Relation.CHILD)
                      .values_list("person_id", "household_id"))
    if not households:
        return {}
    places: dict[int, ChildPlace] = {}
    counts: dict[int, int] = {}
    siblings = (HouseholdMember.objects.filter(household_id__in=set(households.values()),
                                               relation=HouseholdMember.Relation.CHILD)
                .order_by("household_id", "person__birth_date", "person_id")
                .values_list("household_id", "person_id", "household__region_id"))
    for household_id, person_id, region_id in siblings:
        counts[household_id] = counts.get(household_id, 0) + 1
        if person_id in households:
            places[person_id] = ChildPlace(counts[household_id], region_id)
    return places


def people_tags_on(*, person_ids: list[int], day: date) -> dict[int, set[str]]:
    """{person id: status tags valid on `day`} in one query."""
    result: dict[int, set[str]] = {pk: set() for pk in person_ids}
    rows = StatusTag.objects.filter(_valid_on(day, "since", "until"), person_id__in=person_ids)
    for person_id, tag in rows.values_list("person_id", "tag"):
        result[person_id].add(tag)
    return result


def people_enrollments(*, person_ids: list[int], kind: str) -> dict[int, list[InsuranceEnrollment]]:
    """{person id: enrollments of `kind`, newest first} in one query; callers pick the one valid on a day."""
    result: dict[int, list[InsuranceEnrollment]] = {pk: [] for pk in person_ids}
    for enrollment in InsuranceEnrollment.objects.filter(person_id__in=person_ids, kind=kind).order_by("-start_date"):
        result[enrollment.person_id].append(enrollment)
    return result


def enrollment_on(enrollments: list[InsuranceEnrollment], day: date) -> InsuranceEnrollment | None:
    """The enrollment among `enrollments` in force on `day` (the latest started), if any."""
    return next((e for e in enrollments if e.start_date <= day and (e.end_date is None or e.end_date >= day)), None)


def person_tags_on(*, person: Person, day: date) -> set[str]:
    return people_tags_on(person_ids=[person.pk], day=day)[person.pk]


def person_enrollment(*, person: Person, kind: str, day: date) -> InsuranceEnrollment | None:
    return enrollment_on(people_enrollments(person_ids=[person.pk], kind=kind)[person.pk], day)


def parents_of_children_born(*, after: date, until: date) -> QuerySet[HouseholdMember]:
    """Household heads and spouses with a child born in (after, until] — a subquery for set-based candidates."""
    households = HouseholdMember.objects.filter(relation=HouseholdMember.Relation.CHILD,
                                                person__birth_date__gt=after, person__birth_date__lte=until)
    return HouseholdMember.objects.filter(
        relation__in=(HouseholdMember.Relation.HEAD, HouseholdMember.Relation.SPOUSE),
        household_id__in=households.values("household_id"))


def people_tagged_on(*, tags: list[str], day: date) -> QuerySet[StatusTag]:
    """Status tags of `tags` valid on `day` — a subquery for set-based candidates."""
    return StatusTag.objects.filter(_valid_on(day, "since", "until"), tag__in=tags)


def duplicate_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[DuplicateCandidate]:
    """Possible duplicates in the user's region; the open ones unless `filters` ask for another status."""
    queryset = DuplicateCandidate.objects.select_related("person", "other", "person__region", "other__region")
    data = {"status": DuplicateCandidate.Status.OPEN, **(filters or {})}
    return filter_or_raise(DuplicateFilter, data, scope_queryset(queryset, user, "person__region"))


def duplicate_get(*, user, pk: int) -> DuplicateCandidate:
    return get_scoped_or_404(DuplicateCandidate.objects.select_related("person", "other"), user,
                             "person__region", pk=pk)
