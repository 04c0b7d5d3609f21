"""Reads of 创业担保贷款: every list scoped by region (apps.core.scoping: out of scope is a 404), then a FilterSet."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from apps.applicants.models import Person
from apps.applicants.selectors import person_list
from apps.core.filters import filter_or_raise, ordered
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.core.validators import normalize_id_number
from apps.startup_loans.filters import ApplicationFilter, ClaimFilter
from apps.startup_loans.models import Lender, LoanApplication, RepaymentPeriod, SubsidyClaim


def _applications():
    return LoanApplication.objects.select_related("person", "region", "created_by", "lender")


def application_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[LoanApplication]:
    queryset = filter_or_raise(ApplicationFilter, filters, scope_queryset(_applications(), user))
    return ordered(queryset, filters, "-application_date", "-id")


def application_get(*, user, pk: int) -> LoanApplication:
    return get_scoped_or_404(_applications().select_related("determination", "reviewed_by"), user, pk=pk)


def application_periods(application: LoanApplication) -> QuerySet[RepaymentPeriod]:
    return RepaymentPeriod.objects.filter(application=application).order_by("period")


def application_claims(application: LoanApplication) -> QuerySet[SubsidyClaim]:
    return SubsidyClaim.objects.filter(application=application).select_related(
        "created_by", "reviewed_by").order_by("-created_at", "-id")


def claim_list(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet[SubsidyClaim]:
    queryset = scope_queryset(SubsidyClaim.objects.select_related(
        "application__person", "region", "created_by", "reviewed_by"), user)
    return filter_or_raise(ClaimFilter, filters, queryset).order_by("-created_at", "-id")


def claim_get(*, user, pk: int) -> SubsidyClaim:
    return get_scoped_or_404(SubsidyClaim.objects.select_related(
        "application__person", "application__lender", "region", "created_by", "reviewed_by"), user, pk=pk)


def person_by_id_number(*, user, id_number: str) -> Person | None:
    """The registry person with this ID number, if the user may see them (else None, as if unknown)."""
    return person_list(user=user).filter(id_number=normalize_id_number(id_number)).first()


def lender_list(*, user) -> QuerySet[Lender]:
    return scope_queryset(Lender.objects.select_related("region"), user).order_by("region_id", "name", "id")


def lender_get(*, user, pk: int) -> Lender:
    return get_scoped_or_404(Lender.objects.select_related("region"), user, pk=pk)
