from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.employers.filters import ContributionFilter, EmployerFilter
from apps.employers.models import Contribution, Employer


def employer_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Employer]:
    queryset = scope_queryset(Employer.objects.select_related("region"), user)
    return filter_or_raise(EmployerFilter, filters, queryset)


def employer_get(*, user, pk: int) -> Employer:
    return get_scoped_or_404(Employer.objects.select_related("region"), user, pk=pk)


def employer_counts_by_region(*, user, limit: int = 12) -> list[tuple[str, int]]:
    """(region name, employers) one level below the viewer, largest first: a province user by prefecture,
    everyone else by county."""
    region = getattr(user, "region", None)
    by_prefecture = user.is_superuser or region is None or region.level == "province"
    group = "region__parent__name" if by_prefecture else "region__name"
    rows = employer_list(user=user).order_by().values(group).annotate(n=Count("id")).order_by("-n")[:limit]
    return [(row[group] or "—", row["n"]) for row in rows]


def employer_counts_by_type(*, user) -> list[tuple[str, int]]:
    """(entity type label, employers), largest first."""
    labels = dict(Employer.EntityType.choices)
    rows = employer_list(user=user).order_by().values("entity_type").annotate(n=Count("id")).order_by("-n")
    return [(str(labels.get(row["entity_type"], row["entity_type"])), row["n"]) for row in rows]


def contribution_list(*, user, employer: Employer | None = None,
                      filters: Mapping[str, Any] | None = None) -> QuerySet[Contribution]:
    queryset = scope_queryset(Contribution.objects.select_related("employer"), user, "employer__region")
    if employer is not None:
        queryset = queryset.filter(employer=employer)
    queryset = queryset.order_by("-period", "employer_id")
    return filter_or_raise(ContributionFilter, filters, queryset)


def contribution_get(*, user, pk: int) -> Contribution:
    return get_scoped_or_404(Contribution.objects.select_related("employer"), user, "employer__region", pk=pk)
