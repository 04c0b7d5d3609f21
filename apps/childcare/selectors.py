"""Reads. Every list and detail is scoped through the institution's region (apps.core.scoping), and every
list filters through its FilterSet (a value that does not parse is a 400, never a 500)."""

import dataclasses
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from apps.childcare.filters import AttendanceFilter, ClaimFilter, EnrollmentFilter, InstitutionFilter
from apps.childcare.models import (
    Attendance,
    ClaimRun,
    Enrollment,
    Finding,
    Inspection,
    Institution,
    OperatingSubsidyClaim,
)
from apps.core.filters import filter_or_raise, ordered
from apps.core.models import Region
from apps.core.money_sql import MoneySum
from apps.core.scoping import get_scoped_or_404, scope_queryset, user_can_see_region, user_scope_prefix
from apps.eligibility.calculators import childcare_subsidy
from apps.eligibility.calculators.base import MissingParameter, Result, year_end
from apps.eligibility.parameters import parameter_snapshot


def _open_serious(institution_ref: str = "pk"):
    return Exists(Finding.objects.filter(inspection__institution=OuterRef(institution_ref),
                                         severity=Finding.Severity.SERIOUS, status=Finding.Status.OPEN))


def _active_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))


# ---------------------------------------------------------------- institutions


def institution_queryset(*, user) -> QuerySet[Institution]:
    today = timezone.localdate()
    return scope_queryset(Institution.objects.select_related("region", "region__parent"), user).annotate(
        enrolled_now=Count("enrollments", filter=_active_on(today, "enrollments__"), distinct=True),
        places=F("places_infant") + F("places_toddler") + F("places_preschool"),
        has_open_serious_finding=_open_serious(),
    )


def institution_list(*, user, filters=None) -> QuerySet[Institution]:
    return ordered(filter_or_raise(InstitutionFilter, filters, institution_queryset(user=user)), filters,
                   "region_id", "name")


def institution_get(*, user, pk: int) -> Institution:
    return cast(Institution, get_scoped_or_404(institution_queryset(user=user), user, pk=pk))


def institution_get_by_uscc(*, user, uscc: str) -> Institution:
    return cast(Institution, get_scoped_or_404(Institution.objects.select_related("region"), user,
                                               uscc=uscc.strip().upper()))


def institution_has_open_serious_finding(institution: Institution) -> bool:
    return Finding.objects.filter(inspection__institution=institution, severity=Finding.Severity.SERIOUS,
                                  status=Finding.Status.OPEN).exists()


def inspection_get(*, user, pk: int) -> Inspection:
    return cast(Inspection, get_scoped_or_404(Inspection.objects.all(), user, "institution__region", pk=pk))


def finding_get(*, user, pk: int) -> Finding:
    return cast(Finding, get_scoped_or_404(Finding.objects.select_related("inspection"), user,
                                           "inspection__institution__region", pk=pk))


def county_choices(*, user) -> QuerySet[Region]:
    """The counties a user may register an institution in: their own region and below.

    Region codes are checked with core.scoping (user_can_see_region) — the one place that decides — over
    the county list, which is small (a province has well under 100 counties).
    """
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    visible = [code for code in counties.values_list("code", flat=True) if user_can_see_region(user, code)]
    return counties.filter(code__in=visible).select_related("parent", "parent__parent").order_by("code")


def occupancy_percent(enrolled: int, places: int) -> int | None:
    return None if not places else round(enrolled * 100 / places)


def occupancy_of(institution: Institution) -> int | None:
    """For a row of institution_queryset, which annotates enrolled_now and places."""
    annotated: Any = institution
    return occupancy_percent(annotated.enrolled_now, annotated.places)


# ---------------------------------------------------------------- children


def enrollment_list(*, user, filters=None) -> QuerySet[Enrollment]:
    queryset = scope_queryset(Enrollment.objects.select_related("child", "institution", "institution__region"),
                              user, "institution__region")
    return filter_or_raise(EnrollmentFilter, filters, queryset)


def enrollment_get(*, user, pk: int) -> Enrollment:
    queryset = Enrollment.objects.select_related("child", "child__region", "institution", "institution__region")
    return cast(Enrollment, get_scoped_or_404(queryset, user, "institution__region", pk=pk))


def child_enrollments(*, user, child) -> QuerySet[Enrollment]:
    """The child's enrollments the user may see (a moved child may have been somewhere outside the region)."""
    return scope_queryset(Enrollment.objects.filter(child=child).select_related("institution"), user,
                          "institution__region").order_by("start_date")


def attendance_list(*, user, filters=None) -> QuerySet[Attendance]:
    queryset = scope_queryset(
        Attendance.objects.select_related("enrollment", "enrollment__child", "enrollment__institution"),
        user, "enrollment__institution__region")
    return filter_or_raise(AttendanceFilter, filters, queryset)


# ---------------------------------------------------------------- claims


def claim_list(*, user, filters=None) -> QuerySet[OperatingSubsidyClaim]:
    queryset = scope_queryset(
        OperatingSubsidyClaim.objects.select_related("institution", "institution__region", "submitted_by", "reviewed_by"),
        user, "institution__region").annotate(has_open_serious_finding=_open_serious("institution_id"))
    return ordered(filter_or_raise(ClaimFilter, filters, queryset), filters,
                   "-year", "institution__region_id", "institution__name")


def claim_get(*, user, pk: int) -> OperatingSubsidyClaim:
    queryset = OperatingSubsidyClaim.objects.select_related(
        "institution", "institution__region", "submitted_by", "reviewed_by", "computed_by",
    ).annotate(has_open_serious_finding=_open_serious("institution_id"))
    return cast(OperatingSubsidyClaim, get_scoped_or_404(queryset, user, "institution__region", pk=pk))


def disbursement_claims(*, user, filters=None) -> tuple[QuerySet[OperatingSubsidyClaim], int | None]:
    """The approved claims of the disbursement list (the list's filters apply) and the year it is for."""
    data = {**(filters.dict() if hasattr(filters, "dict") else dict(filters or {})),
            "status": OperatingSubsidyClaim.Status.APPROVED}
    claims = claim_list(user=user, filters=data)  # a year that does not parse is refused here
    return claims, forms.IntegerField(required=False).clean(data.get("year"))


def frozen_claim_years(institution_ids: Iterable[int]) -> dict[int, set[int]]:
    """institution id → the years whose claim is submitted or approved (their attendance may not change)."""
    frozen: dict[int, set[int]] = {}
    for institution_id, year in OperatingSubsidyClaim.objects.filter(institution_id__in=list(institution_ids)).exclude(
            status__in=OperatingSubsidyClaim.EDITABLE).values_list("institution_id", "year"):
        frozen.setdefault(institution_id, set()).add(year)
    return frozen


def claim_run_get(*, user, pk: int) -> ClaimRun:
    return cast(ClaimRun, get_scoped_or_404(ClaimRun.objects.select_related("region", "created_by"), user, pk=pk))


def recent_claim_runs(*, user, limit: int = 5) -> QuerySet[ClaimRun]:
    return scope_queryset(ClaimRun.objects.select_related("region"), user)[:limit]


# ---------------------------------------------------------------- family side


def child_subsidy_years(person) -> list[Result]:
    """国家育儿补贴 for each year of the child's first three years, from the calculator and the parameters
    in force on 31 December of each year for the child's region. Years with no eligible month (before
    the start date, after the third birthday) and years without parameters yet are left out. Each
    Result's data carries "year" so the panel can label it."""
    results = []
    for year in range(person.birth_date.year, person.birth_date.year + 4):
        try:
            snapshot = parameter_snapshot(as_of=year_end(year), region_code=person.region_id)
            result = childcare_subsidy.calculate(
                childcare_subsidy.ChildcareSubsidyFacts(year=year, child_birth_date=person.birth_date), snapshot)
        except MissingParameter:
            continue
        if result.eligible:
            results.append(dataclasses.replace(result, data={**result.data, "year": year}))
    return results


# ---------------------------------------------------------------- dashboard


def dashboard_summary(*, user) -> dict:
    """Capacity, enrollment and occupancy by region and category; 托位 per 1000 population; subsidy totals.

    A province user sees prefectures, everyone else the counties of their scope.
    """
    today = timezone.localdate()
    prefix = user_scope_prefix(user) or ""
    by_prefecture = len(prefix) <= 2
    group = "region__parent" if by_prefecture else "region"
    institutions = scope_queryset(Institution.objects.exclude(status=Institution.Status.CLOSED), user)
    places_expr = Sum(F("places_infant") + F("places_toddler") + F("places_preschool"))
    enrolled = scope_queryset(Enrollment.objects.filter(_active_on(today)), user, "institution__region")

    places_by_group = {row[group]: row for row in institutions.values(group).annotate(
        places=places_expr, institutions=Count("id"))}
    enrolled_by_group = dict(enrolled.values_list(f"institution__{group}").annotate(n=Count("id")))
    regions = Region.objects.in_bulk([code for code in places_by_group if code])
    region_rows = []
    for code, row in sorted(places_by_group.items(), key=lambda item: item[0] or ""):
        region = regions.get(code)
        places, children = row["places"] or 0, enrolled_by_group.get(code, 0)
        per_thousand = (Decimal(places) * 1000 / region.population).quantize(Decimal("0.01")) \
            if region is not None and region.population else None
        region_rows.append({"name": region.name if region else "—", "code": code, "institutions": row["institutions"],
                            "places": places, "enrolled": children, "occupancy": occupancy_percent(children, places),
                            "population": region.population if region else None, "per_thousand": per_thousand})

    labels = dict(Institution.Category.choices)
    enrolled_by_category = dict(enrolled.values_list("institution__category").annotate(n=Count("id")))
    category_rows = []
    for row in institutions.values("category").annotate(places=places_expr, institutions=Count("id")).order_by(
            "category"):
        places, children = row["places"] or 0, enrolled_by_category.get(row["category"], 0)
        category_rows.append({"name": str(labels[row["category"]]), "institutions": row["institutions"],
                              "places": places, "enrolled": children,
                              "occupancy": occupancy_percent(children, places)})

    claims = scope_queryset(OperatingSubsidyClaim.objects.all(), user, "institution__region")
    subsidy_by_year = list(claims.values("year").annotate(
        approved=MoneySum("amount", filter=Q(status=OperatingSubsidyClaim.Status.APPROVED)),
        pending=MoneySum("amount", filter=Q(status=OperatingSubsidyClaim.Status.SUBMITTED)),
        child_months=Sum("child_months", filter=Q(status=OperatingSubsidyClaim.Status.APPROVED)),
    ).order_by("year"))
    total_places = sum(r["places"] for r in region_rows)
    total_enrolled = sum(r["enrolled"] for r in region_rows)
    flagged = institutions.filter(_open_serious()).count()
    return {
        "group_label": "地市" if by_prefecture else "县（市、区）",
        "totals": {"institutions": sum(r["institutions"] for r in region_rows), "places": total_places,
                   "enrolled": total_enrolled, "occupancy": occupancy_percent(total_enrolled, total_places),
                   "flagged": flagged,
                   "approved": sum((r["approved"] or Decimal(0) for r in subsidy_by_year), Decimal("0.00"))},
        "regions": region_rows,
        "categories": category_rows,
        "subsidy_by_year": subsidy_by_year,
        "chart_regions": {"labels": [r["name"] for r in region_rows],
                          "places": [r["places"] for r in region_rows],
                          "enrolled": [r["enrolled"] for r in region_rows]},
        "chart_categories": {"labels": [r["name"] for r in category_rows], "values": [r["places"] for r in category_rows]},
        "chart_subsidy": {"labels": [f"{r['year']}年" for r in subsidy_by_year],
                          "values": [str(r["approved"] or 0) for r in subsidy_by_year]},
    }
