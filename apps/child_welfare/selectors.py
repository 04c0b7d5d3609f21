"""Reads. The case access rule lives here, on top of core.scoping:

a case may be opened by the assigned caseworker, by supervisors and administrators whose region contains
the case. Integration accounts have no access to children's cases. Every list, detail, API endpoint,
export, statistic and the admin goes through `case_queryset`; a case the user may not open is a 404.

The one exception is the region overview list (`case_region_overview`): everyone in the region may see
that a child has a case (to avoid double reporting), but names and ID numbers are masked there unless
the user may open the case.
"""

from datetime import date

from django.db.models import BooleanField, Prefetch, Q, QuerySet, Value, When
from django.db.models import Case as CaseWhen

from apps.accounts.models import User
from apps.child_welfare.models import (
    OPEN_STATUSES,
    Assessment,
    Case,
    CaseCategory,
    CharityResource,
    ChildrenDirector,
    Escalation,
    PlanItem,
    Referral,
    RiskLevel,
    Severity,
    Visit,
)
from apps.core.exceptions import NotFoundError
from apps.core.scoping import scope_queryset

REVIEW_ROLES = (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


def _assignment_rule(user) -> Q | None:
    """None: no further limit (supervisors, administrators); a Q for caseworkers; Q(pk__in=[]) for others."""
    if user.is_superuser or user.role in REVIEW_ROLES:
        return None
    if user.role == User.Role.CASEWORKER:
        return Q(assigned_worker=user)
    return Q(pk__in=[])


def case_queryset(user, queryset: QuerySet | None = None) -> QuerySet[Case]:
    """The cases `user` may open: region scope, then the assignment rule."""
    queryset = scope_queryset(Case.objects.all() if queryset is None else queryset, user)
    rule = _assignment_rule(user)
    return queryset if rule is None else queryset.filter(rule)


def user_can_open(user, case: Case) -> bool:
    return case_queryset(user).filter(pk=case.pk).exists()


def _list_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("child", "region", "assigned_worker", "director").prefetch_related(
        Prefetch("categories", queryset=CaseCategory.objects.order_by("since", "id")))


def case_list(*, user, filters: dict | None = None) -> QuerySet[Case]:
    from apps.child_welfare.filters import CaseFilter

    queryset = _list_related(case_queryset(user)).annotate(can_open=Value(True, output_field=BooleanField()))
    return CaseFilter(filters or {}, queryset=queryset).qs


def case_region_overview(*, user, filters: dict | None = None) -> QuerySet[Case]:
    """Every case in the user's region, each marked `can_open`; the template masks the others."""
    from apps.child_welfare.filters import CaseFilter

    if user.role == User.Role.INTEGRATION and not user.is_superuser:
        return Case.objects.none()
    rule = _assignment_rule(user)
    can_open = Value(True, output_field=BooleanField()) if rule is None else CaseWhen(
        When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())
    queryset = _list_related(scope_queryset(Case.objects.all(), user)).annotate(can_open=can_open)
    return CaseFilter(filters or {}, queryset=queryset).qs


def case_get(*, user, pk: int, for_update: bool = False) -> Case:
    queryset = case_queryset(user, Case.objects.select_related("child", "region", "assigned_worker", "director"))
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except Case.DoesNotExist as error:
        raise NotFoundError("not_found", "记录不存在或无权访问。") from error


def _child_records(model, user) -> QuerySet:
    return model.objects.filter(case__in=case_queryset(user).values("pk"))


def assessment_list(*, user, case: Case | None = None) -> QuerySet[Assessment]:
    queryset = _child_records(Assessment, user).select_related("case", "assessor").prefetch_related("domains")
    return queryset.filter(case=case) if case is not None else queryset


def plan_item_list(*, user, case: Case | None = None) -> QuerySet[PlanItem]:
    queryset = _child_records(PlanItem, user).select_related("case")
    return queryset.filter(case=case) if case is not None else queryset


def visit_list(*, user, case: Case | None = None) -> QuerySet[Visit]:
    queryset = _child_records(Visit, user).select_related("case", "recorded_by")
    return queryset.filter(case=case) if case is not None else queryset


def referral_list(*, user, case: Case | None = None) -> QuerySet[Referral]:
    queryset = _child_records(Referral, user).select_related("case", "resource", "referred_by")
    return queryset.filter(case=case) if case is not None else queryset


def child_record_get(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
        raise NotFoundError("not_found", "记录不存在或无权访问。") from error


def child_age(person, today: date | None = None) -> int:
    today = today or date.today()
    birth = person.birth_date
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# ---------------------------------------------------------------- monitoring worklists


def overdue_visits(*, user, today: date) -> QuerySet[Case]:
    return _list_related(case_queryset(user)).filter(status__in=OPEN_STATUSES, next_visit_due__lt=today).order_by(
        "next_visit_due")


def overdue_reviews(*, user, today: date) -> QuerySet[Case]:
    return _list_related(case_queryset(user)).filter(status__in=OPEN_STATUSES, next_review_due__lt=today).order_by(
        "next_review_due")


def open_escalations(*, user) -> QuerySet[Escalation]:
    return Escalation.objects.filter(case__in=case_queryset(user).values("pk"), resolved_at__isnull=True
                                     ).select_related("case", "case__child", "case__assigned_worker", "supervisor")


def director_caseload(*, user, today: date) -> QuerySet[ChildrenDirector]:
    from django.db.models import Count

    cases = case_queryset(user).filter(status__in=OPEN_STATUSES)
    mine = Q(cases__in=cases.values("pk"))
    return scope_queryset(ChildrenDirector.objects.filter(active=True).select_related("region"), user).annotate(
        open_cases=Count("cases", filter=mine, distinct=True),
        high_risk=Count("cases", filter=mine & Q(cases__risk_level=RiskLevel.HIGH), distinct=True),
        overdue=Count("cases", filter=mine & Q(cases__next_visit_due__lt=today), distinct=True),
    ).order_by("region_id", "community", "name")


# ---------------------------------------------------------------- resource matching


def resource_matches(*, user, resources: QuerySet | None = None) -> list[dict]:
    """Open cases whose latest assessment names a need (medium or high) that an active resource covers.

    Needs and resources are both keyed by domain; a resource serves its region and everything below it.
    """
    cases = list(_list_related(case_queryset(user).filter(status__in=OPEN_STATUSES)).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.prefetch_related("domains").order_by(
            "-assessed_on", "-id"), to_attr="ordered_assessments")))
    pool = list((resources if resources is not None else CharityResource.objects.filter(active=True))
                .select_related("region"))
    referred = set(Referral.objects.filter(case__in=[c.pk for c in cases], resource__isnull=False)
                   .values_list("case_id", "resource_id"))
    rows = []
    for case in cases:
        if not case.ordered_assessments:
            continue
        for need in case.ordered_assessments[0].domains.all():
            if need.severity not in (Severity.MEDIUM, Severity.HIGH):
                continue
            offers = [r for r in pool if r.domain == need.domain and case.region_id.startswith(r.region.scope_prefix)]
            rows.append({"case": case, "need": need, "resources": offers,
                         "referred": {r.pk for r in offers if (case.pk, r.pk) in referred}})
    rows.sort(key=lambda row: (row["need"].severity != Severity.HIGH, row["case"].pk))
    return rows


def has_open_case(child_id: int) -> bool:
    return Case.objects.filter(child_id=child_id, status__in=OPEN_STATUSES).exists()

