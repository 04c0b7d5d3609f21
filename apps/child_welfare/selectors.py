"""Reads. The case access rule lives here, on top of core.scoping:

a case may be opened by the assigned caseworker, by supervisors and administrators whose region contains
the case. Integration accounts have no access to children's cases. Every list, detail, API endpoint,
export, statistic and the admin goes through `case_queryset`; a case the user may not open is a 404.

The one exception is the region overview list (`case_region_overview`): everyone in the region may see
that a child has a case (to avoid double reporting), but names and ID numbers are masked there unless
the user may open the case.
"""

from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as CaseWhen

from apps.accounts.models import User
from apps.child_welfare.filters import (
    AssessmentFilter,
    CaseFilter,
    NeedFilter,
    PlanItemFilter,
    ReferralFilter,
    VisitFilter,
)
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
from apps.core.filters import filter_or_raise
from apps.core.models import Region
from apps.core.scoping import (
    filter_by_prefix,
    prefix_covers,
    scope_queryset,
    user_can_see_region,
    user_scope_prefix,
)

REVIEW_ROLES = (User.Role.SUPERVISOR, User.Role.ADMINISTRATOR)


def _assignment_rule(user) -> Q | None:
    """None: no further limit (supervisors, administrators); a Q for caseworkers; Q(pk__in=[]) for others —
    among them no user at all (fail closed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
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


def case_list(*, user, filters=None) -> QuerySet[Case]:
    queryset = _list_related(case_queryset(user)).annotate(can_open=Value(True, output_field=BooleanField()))
    return filter_or_raise(CaseFilter, filters, queryset)


def case_region_overview(*, user, filters=None) -> QuerySet[Case]:
    """Every case in the user's region, each marked `can_open`; the template masks the others."""
    if user_scope_prefix(user) is None or (user.role == User.Role.INTEGRATION and not user.is_superuser):
        return Case.objects.none()
    rule = _assignment_rule(user)
    can_open = Value(True, output_field=BooleanField()) if rule is None else CaseWhen(
        When(rule, then=Value(True)), default=Value(False), output_field=BooleanField())
    queryset = _list_related(scope_queryset(Case.objects.all(), user)).annotate(can_open=can_open)
    return filter_or_raise(CaseFilter, filters, queryset)


OFFLINE_CASES_MAX = 500  # a caseload is a few dozen; the phone never holds more than this


def offline_cases(*, user) -> QuerySet[Case]:
    """The caller's own open cases (assigned to them, and still theirs to open) for the phone's offline visit
    form, soonest visit first, each with the id of its latest visit (the sync's conflict check)."""
    latest = Visit.objects.filter(case=OuterRef("pk")).values("case").annotate(latest=Max("id")).values("latest")
    return (case_queryset(user).filter(assigned_worker=user, status__in=OPEN_STATUSES).select_related("child")
            .annotate(last_visit_id=Subquery(latest)).order_by(F("next_visit_due").asc(nulls_last=True), "id")
            [:OFFLINE_CASES_MAX])


def open_cases_without_director(*, user) -> int:
    return case_queryset(user).filter(director__isnull=True, status__in=OPEN_STATUSES).count()


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


def assessment_list(*, user, case: Case | None = None, filters=None) -> QuerySet[Assessment]:
    queryset = _child_records(Assessment, user).select_related("case", "assessor").prefetch_related("domains")
    queryset = queryset.filter(case=case) if case is not None else queryset
    return filter_or_raise(AssessmentFilter, filters, queryset)


def plan_item_list(*, user, case: Case | None = None, filters=None) -> QuerySet[PlanItem]:
    queryset = _child_records(PlanItem, user).select_related("case")
    queryset = queryset.filter(case=case) if case is not None else queryset
    return filter_or_raise(PlanItemFilter, filters, queryset)


def visit_list(*, user, case: Case | None = None, filters=None) -> QuerySet[Visit]:
    queryset = _child_records(Visit, user).select_related("case", "recorded_by")
    queryset = queryset.filter(case=case) if case is not None else queryset
    return filter_or_raise(VisitFilter, filters, queryset)


def referral_list(*, user, case: Case | None = None, filters=None) -> QuerySet[Referral]:
    queryset = _child_records(Referral, user).select_related("case", "resource", "referred_by")
    queryset = queryset.filter(case=case) if case is not None else queryset
    return filter_or_raise(ReferralFilter, filters, queryset)


def child_record_get(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
        raise NotFoundError("not_found", "记录不存在或无权访问。") from error


def caseworkers_for_region(region_code: str) -> list[User]:
    """Active caseworkers whose region contains `region_code`, the closest first (a street's own caseworker
    before the county's), then by id."""
    workers = [w for w in User.objects.filter(role=User.Role.CASEWORKER, is_active=True, region__isnull=False)
               .select_related("region").order_by("id") if user_can_see_region(w, region_code)]
    workers.sort(key=lambda w: -len(user_scope_prefix(w) or ""))
    return workers


def director_choices(*, case: Case) -> QuerySet[ChildrenDirector]:
    """Active children's directors of the case's county (the case page's choice list)."""
    county = case.region
    while county.level in (Region.Level.TOWNSHIP, Region.Level.VILLAGE) and county.parent is not None:
        county = county.parent
    return filter_by_prefix(ChildrenDirector.objects.filter(active=True), county.scope_prefix)


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
    cases = case_queryset(user).filter(status__in=OPEN_STATUSES)
    mine = Q(cases__in=cases.values("pk"))
    return scope_queryset(ChildrenDirector.objects.filter(active=True).select_related("region"), user).annotate(
        open_cases=Count("cases", filter=mine, distinct=True),
        high_risk=Count("cases", filter=mine & Q(cases__risk_level=RiskLevel.HIGH), distinct=True),
        overdue=Count("cases", filter=mine & Q(cases__next_visit_due__lt=today), distinct=True),
    ).order_by("region_id", "community", "name")


# ---------------------------------------------------------------- resource matching


def resource_list() -> QuerySet[CharityResource]:
    """Active resources. Not scoped: a resource serves its region and below, and every caseworker may look
    for one anywhere in the province."""
    return CharityResource.objects.filter(active=True).select_related("region")


def resource_get(pk) -> CharityResource:
    try:
        return resource_list().get(pk=int(pk))
    except (CharityResource.DoesNotExist, TypeError, ValueError) as error:
        raise NotFoundError() from error


def resource_matches(*, user, filters=None, resources: QuerySet | None = None) -> list[dict]:
    """Open cases whose latest assessment names a need (medium or high) that an active resource covers;
    `filters` may name one domain (NeedFilter).

    Needs and resources are both keyed by domain; a resource serves its region and everything below it.
    """
    open_cases = filter_or_raise(NeedFilter, filters, case_queryset(user).filter(status__in=OPEN_STATUSES))
    domain = (filters or {}).get("domain") or None
    cases = list(_list_related(open_cases).prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.prefetch_related("domains").order_by(
            "-assessed_on", "-id"), to_attr="ordered_assessments")))
    pool = list(resources.select_related("region") if resources is not None else resource_list())
    referred = set(Referral.objects.filter(case__in=[c.pk for c in cases], resource__isnull=False)
                   .values_list("case_id", "resource_id"))
    rows = []
    for case in cases:
        if not case.ordered_assessments:
            continue
        for need in case.ordered_assessments[0].domains.all():
            if need.severity not in (Severity.MEDIUM, Severity.HIGH) or (domain and need.domain != domain):
                continue
            offers = [r for r in pool if r.domain == need.domain
                      and prefix_covers(r.region.scope_prefix, case.region_id)]
            rows.append({"case": case, "need": need, "resources": offers,
                         "referred": {r.pk for r in offers if (case.pk, r.pk) in referred}})
    rows.sort(key=lambda row: (row["need"].severity != Severity.HIGH, row["case"].pk))
    return rows


def has_open_case(child_id: int) -> bool:
    return Case.objects.filter(child_id=child_id, status__in=OPEN_STATUSES).exists()

