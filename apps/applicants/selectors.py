from django.db.models import QuerySet

from apps.applicants.models import DuplicateCandidate, HouseholdMember, InsuranceEnrolment, Person, StatusTag
from apps.core.scoping import get_scoped_or_404, scope_queryset


def person_list(*, user, filters: dict | None = None) -> QuerySet[Person]:
    from apps.applicants.filters import PersonFilter

    queryset = scope_queryset(Person.objects.select_related("region"), user)
    return PersonFilter(filters or {}, queryset=queryset).qs


def person_get(*, user, pk: int) -> Person:
    return get_scoped_or_404(Person.objects.select_related("region", "hukou_region"), user, pk=pk)


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


def person_enrolments(*, person: Person) -> QuerySet[InsuranceEnrolment]:
    return InsuranceEnrolment.objects.filter(person=person).order_by("kind", "-start_date")


def duplicate_list(*, user, status: str = DuplicateCandidate.Status.OPEN) -> QuerySet[DuplicateCandidate]:
    queryset = DuplicateCandidate.objects.select_related("person", "other", "person__region", "other__region")
    return scope_queryset(queryset, user, "person__region").filter(status=status)


def duplicate_get(*, user, pk: int) -> DuplicateCandidate:
    return get_scoped_or_404(DuplicateCandidate.objects.select_related("person", "other"), user,
                             "person__region", pk=pk)
