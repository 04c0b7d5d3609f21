"""Reads. Every list goes through core.scoping; details are 404 outside the user's region."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.training.models import (
    Enrollment,
    EnrollmentStatus,
    EnrollmentTransition,
    FollowUp,
    Occupation,
    Program,
    Provider,
    ShortageReport,
    TrainingSubsidyClaim,
    TrainingWillingness,
    WorklistItem,
)

S = EnrollmentStatus
TAKEN = [s for s in S.values if s not in (S.REGISTERED, S.DROPPED_OUT)]


def occupation_list(*, filters: dict | None = None) -> QuerySet[Occupation]:
    from apps.training.filters import OccupationFilter

    queryset = Occupation.objects.filter(is_active=True).select_related("parent")
    return OccupationFilter(filters or {}, queryset=queryset).qs


def provider_list(*, user) -> QuerySet[Provider]:
    return scope_queryset(Provider.objects.select_related("region"), user)


def _subquery_sum(model, relation: str, field: str):
    inner = (model.objects.filter(**{relation: OuterRef("pk")}).values(relation)
             .annotate(total=Sum(field)).values("total"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def _subquery_count(model, relation: str, **conditions):
    inner = (model.objects.filter(**{relation: OuterRef("pk")}, **conditions).values(relation)
             .annotate(total=Count("pk")).values("total"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def program_list(*, user, filters: dict | None = None) -> QuerySet[Program]:
    """With the demand each program is opened against: shortage positions, willing applicants, taken places."""
    from apps.training.filters import ProgramFilter

    queryset = scope_queryset(Program.objects.select_related("provider", "occupation", "region"), user).annotate(
        shortage_positions=_subquery_sum(ShortageReport, "programs", "count"),
        willing=_subquery_count(TrainingWillingness, "programs"),
        taken=_subquery_count(Enrollment, "program", status__in=TAKEN),
        registered=_subquery_count(Enrollment, "program"),
    )
    return ProgramFilter(filters or {}, queryset=queryset).qs


def program_get(*, user, pk: int) -> Program:
    return get_scoped_or_404(program_list(user=user), user, pk=pk)


def enrollment_list(*, user, filters: dict | None = None) -> QuerySet[Enrollment]:
    from apps.training.filters import EnrollmentFilter

    queryset = scope_queryset(
        Enrollment.objects.select_related("person", "program", "program__occupation", "region"), user)
    return EnrollmentFilter(filters or {}, queryset=queryset).qs


def enrollment_get(*, user, pk: int) -> Enrollment:
    queryset = Enrollment.objects.select_related(
        "person", "program", "program__occupation", "program__provider", "region", "employer",
        "employment_verified_by").prefetch_related(
        "certificates", "follow_ups", Prefetch("claims", TrainingSubsidyClaim.objects.select_related("occupation")),
        Prefetch("transitions", queryset=EnrollmentTransition.objects.select_related("by")))
    return get_scoped_or_404(queryset, user, pk=pk)


def shortage_list(*, user) -> QuerySet[ShortageReport]:
    return scope_queryset(ShortageReport.objects.select_related("employer", "occupation", "region"), user)


def willingness_list(*, user) -> QuerySet[TrainingWillingness]:
    return scope_queryset(TrainingWillingness.objects.select_related("person", "occupation", "region"), user)


def demand_by_occupation(*, user) -> list[dict]:
    """Per occupation: shortage positions, willing applicants, places planned — for the demand page."""
    shortages = dict(shortage_list(user=user).values("occupation").annotate(n=Sum("count")).values_list(
        "occupation", "n"))
    willing = dict(willingness_list(user=user).values("occupation").annotate(n=Count("id")).values_list(
        "occupation", "n"))
    places = dict(scope_queryset(Program.objects.all(), user).values("occupation").annotate(
        n=Sum("capacity")).values_list("occupation", "n"))
    ids = set(shortages) | set(willing)
    names = dict(Occupation.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = [{"occupation_id": pk, "occupation": names[pk], "shortage": shortages.get(pk, 0),
             "willing": willing.get(pk, 0), "places": places.get(pk, 0)} for pk in ids]
    return sorted(rows, key=lambda r: -(r["shortage"] + r["willing"]))


def claim_list(*, user) -> QuerySet[TrainingSubsidyClaim]:
    return scope_queryset(TrainingSubsidyClaim.objects.select_related("enrollment", "person", "occupation"), user,
                          "enrollment__region")


def follow_up_list(*, user) -> QuerySet[FollowUp]:
    return scope_queryset(FollowUp.objects.select_related("enrollment", "enrollment__person",
                                                          "enrollment__program"), user, "enrollment__region")


def worklist(*, user, open_only: bool = True) -> QuerySet[WorklistItem]:
    queryset = scope_queryset(WorklistItem.objects.select_related(
        "follow_up", "follow_up__enrollment", "follow_up__enrollment__person", "follow_up__enrollment__program",
        "region"), user)
    return queryset.filter(resolved_at__isnull=True) if open_only else queryset


def status_counts(*, user) -> dict[str, int]:
    rows = scope_queryset(Enrollment.objects.all(), user).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


