"""Reads. Every list goes through core.scoping and, where it takes filters, its FilterSet (a value that
does not parse is a 400, never a 500 or a silently ignored filter); details are 404 outside the region."""

from typing import cast

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.core.filters import filter_or_raise
from apps.core.scoping import get_scoped_or_404, scope_queryset
from apps.eligibility.calculators.base import MissingParameter
from apps.eligibility.parameters import parameter_snapshot
from apps.training.filters import (
    EnrollmentFilter,
    FollowUpFilter,
    OccupationFilter,
    ProgramFilter,
    ShortageFilter,
    WillingnessFilter,
)
from apps.training.models import (
    Certificate,
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
PROGRAM_SUBSIDY_KEY = "training.subsidy_per_program"
ASSESSMENT_SUBSIDY_KEY = "training.assessment_subsidy_per_level"
TAKEN = [s for s in S.values if s not in (S.REGISTERED, S.DROPPED_OUT)]


def occupation_list(*, filters=None) -> QuerySet[Occupation]:
    queryset = Occupation.objects.filter(is_active=True).select_related("parent")
    return filter_or_raise(OccupationFilter, filters, queryset)


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


def program_list(*, user, filters=None) -> QuerySet[Program]:
    """With the demand each program is opened against: shortage positions, willing applicants, taken places."""
    queryset = scope_queryset(Program.objects.select_related("provider", "occupation", "region"), user).annotate(
        shortage_positions=_subquery_sum(ShortageReport, "programs", "count"),
        willing=_subquery_count(TrainingWillingness, "programs"),
        taken=_subquery_count(Enrollment, "program", status__in=TAKEN),
        registered=_subquery_count(Enrollment, "program"),
    )
    return filter_or_raise(ProgramFilter, filters, queryset)


def program_get(*, user, pk: int) -> Program:
    return cast(Program, get_scoped_or_404(program_list(user=user), user, pk=pk))


def program_subsidy(*, program: Program) -> dict:
    """The program's training-subsidy amount and the per-level assessment amounts in force on its end date,
    with the parameter's legal source — for the program page (None / {} when no parameter is set)."""
    amount, source, levels = None, "", {}
    try:
        snapshot = parameter_snapshot(as_of=program.end_date, region_code=program.region_id)
        entry = snapshot.get(PROGRAM_SUBSIDY_KEY)
        amount = (entry.value.get(program.subsidy_key) or {}).get("amount")
        source = entry.source
        levels = snapshot.get(ASSESSMENT_SUBSIDY_KEY).value
    except MissingParameter:
        levels = {}
    return {"amount": amount, "source": source, "levels": levels}


def enrollment_list(*, user, filters=None) -> QuerySet[Enrollment]:
    queryset = scope_queryset(
        Enrollment.objects.select_related("person", "program", "program__occupation", "region"), user)
    return filter_or_raise(EnrollmentFilter, filters, queryset)


def enrollment_get(*, user, pk: int) -> Enrollment:
    queryset = Enrollment.objects.select_related(
        "person", "program", "program__occupation", "program__provider", "region", "employer",
        "employment_verified_by").prefetch_related(
        "certificates", "follow_ups", Prefetch("claims", TrainingSubsidyClaim.objects.select_related(
            "occupation", "claimed_by", "reviewed_by", "approved_by")),
        Prefetch("transitions", queryset=EnrollmentTransition.objects.select_related("by")))
    return cast(Enrollment, get_scoped_or_404(queryset, user, pk=pk))


def shortage_list(*, user, filters=None) -> QuerySet[ShortageReport]:
    reports = scope_queryset(ShortageReport.objects.select_related("employer", "occupation", "region"), user)
    return filter_or_raise(ShortageFilter, filters, reports)


def willingness_list(*, user, filters=None) -> QuerySet[TrainingWillingness]:
    registrations = scope_queryset(TrainingWillingness.objects.select_related("person", "occupation", "region"), user)
    return filter_or_raise(WillingnessFilter, filters, registrations)


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


def claim_get(*, user, pk, enrollment: Enrollment | None = None) -> TrainingSubsidyClaim:
    queryset = TrainingSubsidyClaim.objects.all()
    if enrollment is not None:
        queryset = queryset.filter(enrollment=enrollment)
    return cast(TrainingSubsidyClaim, get_scoped_or_404(queryset, user, "enrollment__region", pk=pk))


def certificate_list(*, user) -> QuerySet[Certificate]:
    return scope_queryset(Certificate.objects.all(), user, "enrollment__region")


def shortage_get(*, user, pk) -> ShortageReport:
    return cast(ShortageReport, get_scoped_or_404(ShortageReport.objects.all(), user, pk=pk))


def willingness_get(*, user, pk) -> TrainingWillingness:
    return cast(TrainingWillingness, get_scoped_or_404(TrainingWillingness.objects.select_related(
        "person", "occupation", "region"), user, pk=pk))


def provider_get(*, user, pk) -> Provider:
    return cast(Provider, get_scoped_or_404(Provider.objects.all(), user, pk=pk))


def follow_up_list(*, user, filters=None) -> QuerySet[FollowUp]:
    queryset = scope_queryset(FollowUp.objects.select_related("enrollment", "enrollment__person",
                                                              "enrollment__program"), user, "enrollment__region")
    return filter_or_raise(FollowUpFilter, filters, queryset)


def follow_up_get(*, user, pk, enrollment: Enrollment | None = None) -> FollowUp:
    queryset = FollowUp.objects.select_related("enrollment")
    if enrollment is not None:
        queryset = queryset.filter(enrollment=enrollment)
    return cast(FollowUp, get_scoped_or_404(queryset, user, "enrollment__region", pk=pk))


def worklist(*, user, open_only: bool = True) -> QuerySet[WorklistItem]:
    queryset = scope_queryset(WorklistItem.objects.select_related(
        "follow_up", "follow_up__enrollment", "follow_up__enrollment__person", "follow_up__enrollment__program",
        "region"), user)
    return queryset.filter(resolved_at__isnull=True) if open_only else queryset


def status_counts(*, user) -> dict[str, int]:
    rows = scope_queryset(Enrollment.objects.all(), user).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# ---------------------------------------------------------------- what training offers the portal
# Registered in TrainingConfig.ready() with apps.core.registry; the portal (top floor) reads them.


def dashboard_tile(*, user) -> dict:
    """The home page's training figure: trainees in training now, out of all trainees."""
    counts = status_counts(user=user)
    return {"value": counts.get(S.IN_TRAINING, 0), "hint": f"全部学员 {sum(counts.values())} 人"}
