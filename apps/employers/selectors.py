from django.db.models import QuerySet

from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.employers.models import Contribution, Employer


def employer_list(*, user, filters: dict | None = None) -> QuerySet[Employer]:
    from apps.employers.filters import EmployerFilter

    queryset = scope_queryset(Employer.objects.select_related("region"), user)
    return EmployerFilter(filters or {}, queryset=queryset).qs


def employer_get(*, user, pk: int) -> Employer:
    return get_scoped_or_404(Employer.objects.select_related("region"), user, pk=pk)


def contribution_list(*, user, employer: Employer | None = None, filters: dict | None = None) -> QuerySet[Contribution]:
    from apps.employers.filters import ContributionFilter

    queryset = scope_queryset(Contribution.objects.select_related("employer"), user, "employer__region")
    if employer is not None:
        queryset = queryset.filter(employer=employer)
    queryset = queryset.order_by("-period", "employer_id")
    return ContributionFilter(filters or {}, queryset=queryset).qs


def contribution_get(*, user, pk: int) -> Contribution:
    return get_scoped_or_404(Contribution.objects.select_related("employer"), user, "employer__region", pk=pk)
