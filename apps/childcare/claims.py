"""Annual operating-subsidy claims (普惠托育服务补助): compute, submit, approve / return, batch runs.

The amount always comes from apps.eligibility.calculators.childcare_operating.calculate with the
parameter snapshot of 31 December of the year, for the institution's region. This module only gathers
the facts (child-months, by the counting rule in counting.py) and stores the Result.

Decisions (see README "托育机构"):
- 普惠 certification: the table's non-zero rates apply to child-months in months where the institution's
  certification is valid on at least one day. Child-months outside it are computed as category "other"
  (rate 0 — from the same table), so the explanation shows both parts.
- Suspended / closed institutions and open serious safety findings are *flagged* on the claim; an open
  serious finding additionally *blocks approval* until it is rectified (the claim waits, nothing is lost).
- Four eyes: the person who submitted a claim cannot approve or return it; an approved claim is frozen.
"""

import logging
from collections import Counter
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.childcare.counting import Span, counted_months, month_bounds
from apps.childcare.models import Attendance, ClaimRun, Enrollment, Institution, OperatingSubsidyClaim
from apps.childcare.services import institution_has_open_serious_finding
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.models import Region
from apps.eligibility.calculators import childcare_operating
from apps.eligibility.calculators.base import MissingParameter, Result, year_end
from apps.eligibility.parameters import parameter_snapshot

logger = logging.getLogger(__name__)

MIN_DAYS_KEY = "childcare.min_attendance_days_per_month"
OTHER = Institution.Category.OTHER.value


class ReviewNotAllowed(ApplicationError):
    status_code = 403


FLAG_LABELS = {
    "serious_finding_open": "存在未整改的严重安全问题（整改前不能审核通过）",
    "suspended": "机构暂停运营",
    "closed": "机构已关闭",
    "uncertified_months": "部分月份不在普惠认定有效期内，按非普惠计算",
    "no_children": "该年度无计入的在托婴幼儿",
}


# ---------------------------------------------------------------- computing


def _spans_for(institution: Institution, year: int) -> tuple[list[Span], dict]:
    """Every enrollment in `year` of every child who was at this institution in `year` (a moved child's
    other institutions decide which of them the month belongs to), and their attendance."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_year = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    children = Enrollment.objects.filter(in_year, institution=institution).values("child_id")
    rows = Enrollment.objects.filter(in_year, child_id__in=children).values_list(
        "id", "child_id", "institution_id", "start_date", "end_date")
    spans = [Span(*row) for row in rows]
    attendance = {(e, m): d for e, m, d in Attendance.objects.filter(
        enrollment_id__in=[s.enrollment_id for s in spans], month__year=year).values_list(
        "enrollment_id", "month", "days_present")}
    return spans, attendance


def _calculate(institution: Institution, year: int, category: str, pairs: list, snapshot) -> dict:
    facts = childcare_operating.ChildcareOperatingFacts(
        year=year, category=category, region_code=institution.region_id,
        child_months=childcare_operating.count_child_months(pairs, year))
    return childcare_operating.calculate(facts, snapshot)


def claim_figures(*, institution: Institution, year: int) -> dict:
    """Everything a claim stores, computed now (also used for previews). Raises ApplicationError when the
    policy parameters for the year are missing."""
    try:
        snapshot = parameter_snapshot(as_of=year_end(year), region_code=institution.region_id)
        min_days = snapshot.get(MIN_DAYS_KEY)
    except MissingParameter as error:
        raise ApplicationError("parameters_missing", str(error)) from error

    spans, attendance = _spans_for(institution, year)
    counted = counted_months(spans, attendance, year, min_days.value)
    certified, uncertified, monthly = [], [], {}
    per_month = Counter(month for (_child, month), span in counted.items() if span.institution_id == institution.id)
    for month in range(1, 13):
        is_certified = institution.certified_between(*month_bounds(year, month))
        monthly[f"{month:02d}"] = {"children": per_month.get(month, 0), "certified": is_certified}
    for (child, month), span in counted.items():
        if span.institution_id != institution.id:
            continue
        pair = (child, date(year, month, 1))
        (certified if monthly[f"{month:02d}"]["certified"] else uncertified).append(pair)

    results: list[tuple[str, Result]] = []
    if institution.category == OTHER:
        results.append(("全年", _calculate(institution, year, OTHER, certified + uncertified, snapshot)))
    else:
        if certified or not uncertified:
            results.append(("普惠认定有效期内", _calculate(institution, year, institution.category, certified, snapshot)))
        if uncertified:
            results.append(("普惠认定有效期外（按非普惠计）", _calculate(institution, year, OTHER, uncertified, snapshot)))

    flags = []
    if institution_has_open_serious_finding(institution):
        flags.append("serious_finding_open")
    if institution.status != Institution.Status.OPERATING:
        flags.append(institution.status)
    if uncertified and institution.category != OTHER:
        flags.append("uncertified_months")
    if not certified and not uncertified:
        flags.append("no_children")

    versions = {p.key: p.version for _label, r in results for p in r.parameters}
    versions[min_days.key] = min_days.version
    return {
        "child_months": len(certified) + len(uncertified),
        "certified_child_months": len(certified) if institution.category != OTHER else 0,
        "amount": sum((r.amount for _label, r in results), Decimal("0.00")),
        "monthly": monthly,
        "explanation": [{**r.to_dict(), "label": label} for label, r in results],
        "parameter_versions": versions,
        "min_attendance_days": min_days.value,
        "flags": flags,
    }


def _check_year(year: int) -> None:
    if year > timezone.localdate().year:
        raise ApplicationError("invalid_year", f"{year}年尚未开始，不能测算", {"year": ["年度不能晚于今年"]})


@transaction.atomic
def claim_compute(*, institution: Institution, year: int, user) -> OperatingSubsidyClaim:
    """Create or recompute the claim. Refused once submitted (until returned) or approved."""
    _check_year(year)
    claim = OperatingSubsidyClaim.objects.select_for_update().filter(institution=institution, year=year).first()
    if claim is not None and not claim.editable:
        raise ConflictError("claim_frozen", f"{claim}补助申报状态为“{claim.get_status_display()}”，不能重新测算")
    figures = claim_figures(institution=institution, year=year)
    figures.pop("min_attendance_days")
    claim = claim or OperatingSubsidyClaim(institution=institution, year=year)
    for field, value in figures.items():
        setattr(claim, field, value)
    claim.computed_at, claim.computed_by = timezone.now(), user
    claim.save()
    return claim


# ---------------------------------------------------------------- workflow


def _lock(claim: OperatingSubsidyClaim) -> OperatingSubsidyClaim:
    return OperatingSubsidyClaim.objects.select_for_update().select_related("institution").get(pk=claim.pk)


@transaction.atomic
def claim_submit(*, claim: OperatingSubsidyClaim, user) -> OperatingSubsidyClaim:
    claim = _lock(claim)
    if not claim.editable:
        raise ConflictError("claim_not_editable", f"申报状态为“{claim.get_status_display()}”，不能提交")
    # Facts may have changed since the last computation: submit what the data says now.
    claim = claim_compute(institution=claim.institution, year=claim.year, user=user)
    claim.status, claim.submitted_by, claim.submitted_at = OperatingSubsidyClaim.Status.SUBMITTED, user, timezone.now()
    claim.save()
    return claim


def _review_checks(claim: OperatingSubsidyClaim, user) -> None:
    if not user.is_supervisor:
        raise ReviewNotAllowed("not_supervisor", "只有审核人可以审核补助申报")
    if claim.status != OperatingSubsidyClaim.Status.SUBMITTED:
        raise ConflictError("claim_not_submitted", f"申报状态为“{claim.get_status_display()}”，不能审核")
    if claim.submitted_by_id == user.pk:
        raise ReviewNotAllowed("reviewer_is_submitter", "提交人不能审核自己提交的申报，请由其他审核人审核")


@transaction.atomic
def claim_approve(*, claim: OperatingSubsidyClaim, user, comment: str = "") -> OperatingSubsidyClaim:
    claim = _lock(claim)
    _review_checks(claim, user)
    if institution_has_open_serious_finding(claim.institution):
        raise ConflictError("serious_finding_open",
                            f"{claim.institution.name}存在未整改的严重安全问题，整改复查通过后方可审核通过")
    claim.status, claim.reviewed_by, claim.reviewed_at = OperatingSubsidyClaim.Status.APPROVED, user, timezone.now()
    claim.review_comment = comment.strip()
    claim.save()
    return claim


@transaction.atomic
def claim_return(*, claim: OperatingSubsidyClaim, user, comment: str) -> OperatingSubsidyClaim:
    claim = _lock(claim)
    _review_checks(claim, user)
    if not (comment or "").strip():
        raise ApplicationError("comment_required", "退回时请填写退回意见", {"comment": ["退回时请填写退回意见"]})
    claim.status, claim.reviewed_by, claim.reviewed_at = OperatingSubsidyClaim.Status.RETURNED, user, timezone.now()
    claim.review_comment = comment.strip()
    claim.save()
    return claim


# ---------------------------------------------------------------- batch runs

# Progress is written after every this many institutions: frequent enough for the progress bar,
# rare enough not to double the number of writes on a province-wide run.
PROGRESS_EVERY = 10


def _run_region(user) -> Region:
    region = getattr(user, "region", None)
    if region is not None:
        return region
    if user.is_superuser:
        from django.conf import settings

        return Region.objects.get(pk=settings.PORTAL_ROOT_REGION)
    raise ApplicationError("no_region", "您的账号未分配区划，不能发起批量测算")


@transaction.atomic
def claim_run_start(*, user, year: int) -> ClaimRun:
    _check_year(year)
    region = _run_region(user)
    busy = ClaimRun.objects.filter(region=region, year=year,
                                   status__in=[ClaimRun.Status.PENDING, ClaimRun.Status.RUNNING]).first()
    if busy is not None:
        raise ConflictError("run_in_progress", f"{region.name}{year}年的批量测算正在进行中（编号 {busy.pk}）")
    run = ClaimRun.objects.create(year=year, region=region, created_by=user)
    from apps.childcare.tasks import compute_claims_for_year

    transaction.on_commit(lambda: compute_claims_for_year.delay(run.pk))
    return run


def run_institutions(run: ClaimRun):
    first, last = date(run.year, 1, 1), date(run.year, 12, 31)
    return Institution.objects.filter(
        region__code__startswith=run.region.scope_prefix, enrollments__start_date__lte=last,
    ).filter(Q(enrollments__end_date__isnull=True) | Q(enrollments__end_date__gte=first)).distinct().order_by("pk")


def claim_run_execute(*, run_id: int) -> ClaimRun:
    """Compute every editable claim of the run's region and year. Safe to retry: frozen claims are skipped,
    editable ones are recomputed to the same figures. Each institution commits on its own."""
    run = ClaimRun.objects.select_related("region", "created_by").get(pk=run_id)
    if run.status == ClaimRun.Status.DONE:
        return run
    institutions = list(run_institutions(run))
    counts = Counter()
    ClaimRun.objects.filter(pk=run.pk).update(status=ClaimRun.Status.RUNNING, total=len(institutions), processed=0)
    errors = []
    for index, institution in enumerate(institutions, start=1):
        try:
            claim_compute(institution=institution, year=run.year, user=run.created_by)
            counts["computed"] += 1
        except ConflictError:
            counts["skipped"] += 1
        except ApplicationError as error:
            counts["failed"] += 1
            errors.append(f"{institution.name}：{error.message}")
        if index % PROGRESS_EVERY == 0 or index == len(institutions):
            ClaimRun.objects.filter(pk=run.pk).update(processed=index, **counts)
    ClaimRun.objects.filter(pk=run.pk).update(
        status=ClaimRun.Status.DONE, processed=len(institutions), finished_at=timezone.now(),
        message="\n".join(errors[:50]), **counts)
    run.refresh_from_db()
    logger.info("claim run %s: %s", run.pk, dict(counts))
    return run
