from django.db.models import QuerySet

from apps.applicants.models import Person
from apps.core.scoping import get_scoped_or_404, scope_queryset


def person_list(*, user, filters: dict | None = None) -> QuerySet[Person]:
    from apps.applicants.filters import PersonFilter

    queryset = scope_queryset(Person.objects.select_related("region"), user)
    return PersonFilter(filters or {}, queryset=queryset).qs


def person_get(*, user, pk: int) -> Person:
    return get_scoped_or_404(Person.objects.select_related("region", "hukou_region"), user, pk=pk)
