"""Reads of 养老服务人才: every list scoped by region (apps.core.scoping), then a FilterSet; the indicators."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.eldercare.filters import BlacklistFilter, ClaimFilter, InstitutionFilter, StaffFilter
from apps.eldercare.models import BlacklistEntry, IncentiveClaim, Institution, StaffMember


def _institutions():
    return Institution.objects.select_related("region").annotate(
        staff_count=Count("staff", filter=Q(staff__end_date__isnull=True), distinct=True),
        social_workers=Count("staff", filter=Q(staff__end_date__isnull=True, staff__social_worker_qualified=True),
                             distinct=True))


def institution_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[Institution]:
    return filter_or_raise(InstitutionFilter, filters, scope_queryset(_institutions(), user)).order_by("name", "id")


def institution_get(*, user, pk: int) -> Institution:
    return get_scoped_or_404(_institutions(), user, pk=pk)


def _staff():
    return StaffMember.objects.select_related("institution", "person", "region")


def staff_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[StaffMember]:
    return filter_or_raise(StaffFilter, filters, scope_queryset(_staff(), user)).order_by("-start_date", "-id")


def staff_get(*, user, pk: int) -> StaffMember:
    return get_scoped_or_404(_staff(), user, pk=pk)


def _entries():
    return BlacklistEntry.objects.select_related("institution", "person", "region")


def blacklist_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[BlacklistEntry]:
    return filter_or_raise(BlacklistFilter, filters, scope_queryset(_entries(), user)).order_by("-listed_on", "-id")


def blacklist_get(*, user, pk: int) -> BlacklistEntry:
    return get_scoped_or_404(_entries(), user, pk=pk)


def _claims():
    return IncentiveClaim.objects.select_related("staff", "institution", "person", "region", "submitted_by",
                                                 "reviewed_by")


def claim_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[IncentiveClaim]:
    return filter_or_raise(ClaimFilter, filters, scope_queryset(_claims(), user)).order_by("-claim_date", "-id")


def claim_get(*, user, pk: int) -> IncentiveClaim:
    return get_scoped_or_404(_claims(), user, pk=pk)
